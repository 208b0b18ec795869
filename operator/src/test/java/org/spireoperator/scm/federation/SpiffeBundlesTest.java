package org.spireoperator.scm.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.TrustBundle;

/** SPIFFE bundles (JWKS) read into trust bundles. */
class SpiffeBundlesTest {

  private static String url(BigInteger n) {
    byte[] bytes = n.toByteArray();
    if (bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Test
  void sequenceAndRefreshHintAreKept() {
    TrustBundle b =
        SpiffeBundles.parse(
                "partner.org", "{\"keys\":[],\"spiffe_sequence\":12,\"spiffe_refresh_hint\":300}")
            .orElseThrow();

    assertThat(java.util.List.of(b.sequenceNumber(), b.refreshHintSeconds()))
        .containsExactly(12L, 300L);
  }

  @Test
  void anRsaJwtKeyBecomesItsPkixEncoding() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
    String json =
        "{\"keys\":[{\"use\":\"jwt-svid\",\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\""
            + url(key.getModulus())
            + "\",\"e\":\""
            + url(key.getPublicExponent())
            + "\"}]}";

    TrustBundle b = SpiffeBundles.parse("partner.org", json).orElseThrow();

    assertThat(b.jwtAuthorities().get(0).publicKey()).isEqualTo(key.getEncoded());
  }

  @Test
  void keysOfOtherUsesAreSkipped() {
    assertThat(
            SpiffeBundles.parse("p.org", "{\"keys\":[{\"use\":\"sig\",\"kty\":\"EC\"}]}")
                .orElseThrow()
                .jwtAuthorities())
        .isEmpty();
  }

  @Test
  void anX509KeyNeedsExactlyOneCertificate() {
    assertThat(
            SpiffeBundles.parse("p.org", "{\"keys\":[{\"use\":\"x509-svid\",\"x5c\":[]}]}")
                .failure())
        .isEqualTo("keys[0] (x509-svid): x5c must hold exactly one certificate");
  }

  @Test
  void aJwtKeyNeedsAKeyId() {
    assertThat(
            SpiffeBundles.parse(
                    "p.org",
                    "{\"keys\":[{\"use\":\"jwt-svid\",\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}")
                .failure())
        .isEqualTo("keys[0] (jwt-svid): kid is missing");
  }

  @Test
  void garbageIsAFailureNotAnException() {
    assertThat(
            SpiffeBundles.parse("p.org", "{\"keys\":[{\"use\":\"x509-svid\",\"x5c\":[\"!!\"]}]}")
                .isOk())
        .isFalse();
  }
}
