package org.spireoperator.config;

import java.util.Objects;

/**
 * crd mode's validating webhook for SpiffeID resources (upstream's keys).
 *
 * @param enabled {@code webhook_enabled}
 * @param certDir {@code webhook_cert_dir}: directory of tls.crt and tls.key
 * @param port {@code webhook_port} (1 to 65535)
 * @param serviceName {@code webhook_service_name}
 */
public record SpiffeIdWebhook(boolean enabled, String certDir, int port, String serviceName) {

  public SpiffeIdWebhook {
    Objects.requireNonNull(certDir, "certDir");
    Objects.requireNonNull(serviceName, "serviceName");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be a TCP port");
    }
  }
}
