package org.spireoperator.spire;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A trust domain's bundle as the SPIRE API carries it: X.509 authorities (DER certificates) and JWT
 * authorities (PKIX public keys by key ID), with refresh hint and sequence number.
 */
public record TrustBundle(
    String trustDomain,
    List<X509Authority> x509Authorities,
    List<JwtAuthority> jwtAuthorities,
    long refreshHintSeconds,
    long sequenceNumber) {

  public TrustBundle {
    Objects.requireNonNull(trustDomain, "trustDomain");
    x509Authorities = List.copyOf(x509Authorities);
    jwtAuthorities = List.copyOf(jwtAuthorities);
  }

  /** A DER-encoded CA certificate. */
  public record X509Authority(byte[] asn1) {
    public X509Authority {
      asn1 = asn1.clone();
    }

    @Override
    public byte[] asn1() {
      return asn1.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof X509Authority a && Arrays.equals(asn1, a.asn1);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(asn1);
    }

    @Override
    public String toString() {
      return "X509Authority[" + Base64.getEncoder().encodeToString(asn1) + "]";
    }
  }

  /** A JWT signing key: key ID, PKIX (DER) public key, expiry in Unix seconds (0: none). */
  public record JwtAuthority(String keyId, byte[] publicKey, long expiresAt) {
    public JwtAuthority {
      Objects.requireNonNull(keyId, "keyId");
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof JwtAuthority a
          && keyId.equals(a.keyId)
          && Arrays.equals(publicKey, a.publicKey)
          && expiresAt == a.expiresAt;
    }

    @Override
    public int hashCode() {
      return Objects.hash(keyId, Arrays.hashCode(publicKey), expiresAt);
    }

    @Override
    public String toString() {
      return "JwtAuthority[" + keyId + "]";
    }
  }
}
