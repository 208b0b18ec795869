package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TLS to the API server offers ChaCha20-Poly1305 first, and drops no cipher suite. */
class ApiServerHttpClientsTest {

  private static final List<String> JVM_ORDER =
      List.of(
          "TLS_AES_256_GCM_SHA384",
          "TLS_AES_128_GCM_SHA256",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  @Test
  void chaCha20SuitesComeFirstInTheJvmsOrder() {
    assertThat(ApiServerHttpClients.chaCha20First(JVM_ORDER))
        .startsWith(
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  }

  @Test
  void theOtherSuitesFollowInTheJvmsOrder() {
    assertThat(ApiServerHttpClients.chaCha20First(JVM_ORDER))
        .endsWith(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  }

  @Test
  void noSuiteIsDropped() {
    assertThat(ApiServerHttpClients.chaCha20First(JVM_ORDER))
        .containsExactlyInAnyOrderElementsOf(JVM_ORDER);
  }
}
