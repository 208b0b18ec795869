package org.spireoperator.scm.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.spireoperator.scm.Outcome;
import org.spireoperator.spire.TrustBundle;

/**
 * Reads a SPIFFE bundle (the JWKS document of the SPIFFE Trust Domain and Bundle specification, as
 * {@code spire-server bundle show -format spiffe} prints it) into a {@link TrustBundle}: keys with
 * {@code use: x509-svid} give one CA certificate each ({@code x5c} with exactly one certificate),
 * keys with {@code use: jwt-svid} a JWT authority ({@code kid} required; EC P-256/P-384/P-521 or
 * RSA public key); other uses are skipped. {@code spiffe_sequence} and {@code spiffe_refresh_hint}
 * are kept.
 */
public final class SpiffeBundles {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CURVES =
      Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");

  private SpiffeBundles() {}

  public static Outcome<TrustBundle> parse(String trustDomain, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return Outcome.failed("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      return Outcome.failed("not a JSON object");
    }
    JsonNode keys = root.get("keys");
    if (keys == null || !keys.isArray()) {
      return Outcome.failed("no \"keys\" array");
    }
    List<TrustBundle.X509Authority> x509 = new ArrayList<>();
    List<TrustBundle.JwtAuthority> jwt = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      JsonNode key = keys.get(i);
      String use = key.path("use").asText("");
      try {
        if (use.equals("x509-svid")) {
          x509.add(certificate(key));
        } else if (use.equals("jwt-svid")) {
          jwt.add(jwtKey(key));
        }
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        return Outcome.failed("keys[" + i + "] (" + use + "): " + e.getMessage());
      }
    }
    long sequence = root.path("spiffe_sequence").asLong(0);
    long refreshHint = root.path("spiffe_refresh_hint").asLong(0);
    return Outcome.ok(new TrustBundle(trustDomain, x509, jwt, refreshHint, sequence));
  }

  private static TrustBundle.X509Authority certificate(JsonNode key) throws CertificateException {
    JsonNode x5c = key.get("x5c");
    if (x5c == null || !x5c.isArray() || x5c.size() != 1) {
      throw new IllegalArgumentException("x5c must hold exactly one certificate");
    }
    byte[] der = Base64.getDecoder().decode(x5c.get(0).asText());
    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    return new TrustBundle.X509Authority(der);
  }

  private static TrustBundle.JwtAuthority jwtKey(JsonNode key) throws GeneralSecurityException {
    String kid = key.path("kid").asText("");
    if (kid.isEmpty()) {
      throw new IllegalArgumentException("kid is missing");
    }
    String kty = key.path("kty").asText("");
    byte[] pkix =
        switch (kty) {
          case "EC" -> ecKey(key);
          case "RSA" ->
              KeyFactory.getInstance("RSA")
                  .generatePublic(new RSAPublicKeySpec(number(key, "n"), number(key, "e")))
                  .getEncoded();
          default -> throw new IllegalArgumentException("unsupported key type \"" + kty + "\"");
        };
    return new TrustBundle.JwtAuthority(kid, pkix, 0);
  }

  private static byte[] ecKey(JsonNode key) throws GeneralSecurityException {
    String curve = CURVES.get(key.path("crv").asText(""));
    if (curve == null) {
      throw new IllegalArgumentException(
          "unsupported curve \"" + key.path("crv").asText("") + "\"");
    }
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec(curve));
    ECPoint point = new ECPoint(number(key, "x"), number(key, "y"));
    return KeyFactory.getInstance("EC")
        .generatePublic(
            new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)))
        .getEncoded();
  }

  private static BigInteger number(JsonNode key, String field) {
    String text = key.path(field).asText("");
    if (text.isEmpty()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return new BigInteger(1, Base64.getUrlDecoder().decode(text));
  }
}
