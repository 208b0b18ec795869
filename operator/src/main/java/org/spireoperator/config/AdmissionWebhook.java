package org.spireoperator.config;

import java.util.Objects;

/**
 * webhook mode's admission endpoint for pods (upstream's keys).
 *
 * @param addr {@code addr}: HTTPS listener
 * @param certPath {@code cert_path}: PEM server certificate
 * @param keyPath {@code key_path}: PEM server key
 * @param cacertPath {@code cacert_path}: PEM CA certificate verifying the API server's client
 *     certificate
 * @param insecureSkipClientVerification {@code insecure_skip_client_verification}
 */
public record AdmissionWebhook(
    String addr,
    String certPath,
    String keyPath,
    String cacertPath,
    boolean insecureSkipClientVerification) {

  public AdmissionWebhook {
    Objects.requireNonNull(addr, "addr");
    Objects.requireNonNull(certPath, "certPath");
    Objects.requireNonNull(keyPath, "keyPath");
    Objects.requireNonNull(cacertPath, "cacertPath");
  }
}
