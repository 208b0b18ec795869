package org.spireoperator.config;

import java.util.Objects;

/**
 * Logs, metrics and health endpoints.
 *
 * @param logLevel {@code log_level}: trace, debug, info, warn or error
 * @param logFormat {@code log_format}: "text" or "json"
 * @param logPath {@code log_path}: file to log to (nullable: standard error)
 * @param metricsAddr {@code metrics_addr}: metrics listener in reconcile and webhook modes, "0"
 *     disables
 * @param metricsBindAddr {@code metrics_bind_addr}: metrics listener in crd mode, "0" disables
 * @param healthAddr {@code health_addr}: listener of /healthz and /readyz
 */
public record Observability(
    String logLevel,
    String logFormat,
    String logPath,
    String metricsAddr,
    String metricsBindAddr,
    String healthAddr) {

  /** The value of a metrics address that turns metrics off. */
  public static final String DISABLED = "0";

  public Observability {
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(metricsAddr, "metricsAddr");
    Objects.requireNonNull(metricsBindAddr, "metricsBindAddr");
    Objects.requireNonNull(healthAddr, "healthAddr");
  }

  /** The metrics listener of {@code mode} ("0" when disabled): crd mode reads metrics_bind_addr. */
  public String metricsAddr(Mode mode) {
    return mode == Mode.CRD ? metricsBindAddr : metricsAddr;
  }
}
