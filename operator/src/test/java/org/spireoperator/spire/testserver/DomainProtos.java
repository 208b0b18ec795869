package org.spireoperator.spire.testserver;

import com.google.protobuf.ByteString;
import java.util.TreeSet;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.BundleEndpointProfile;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.TrustBundle;
import spire.api.types.SPIFFEID;

/**
 * Conversions between the operator's domain records and the API messages the test server stores.
 */
final class DomainProtos {

  private DomainProtos() {}

  static SPIFFEID toProto(SpiffeId id) {
    return SPIFFEID.newBuilder().setTrustDomain(id.trustDomain()).setPath(id.path()).build();
  }

  static SpiffeId fromProto(SPIFFEID id) {
    return new SpiffeId(id.getTrustDomain(), id.getPath());
  }

  static spire.api.types.Selector toProto(Selector s) {
    return spire.api.types.Selector.newBuilder().setType(s.type()).setValue(s.value()).build();
  }

  static spire.api.types.Entry toProto(Entry e) {
    var b =
        spire.api.types.Entry.newBuilder()
            .setId(e.id() == null ? "" : e.id())
            .setSpiffeId(toProto(e.spiffeId()))
            .setParentId(toProto(e.parentId()))
            .setX509SvidTtl(e.x509SvidTtl())
            .setJwtSvidTtl(e.jwtSvidTtl())
            .setAdmin(e.admin())
            .setDownstream(e.downstream())
            .setExpiresAt(e.expiresAt())
            .setHint(e.hint())
            .setStoreSvid(e.storeSvid())
            .setRevisionNumber(e.revisionNumber())
            .setCreatedAt(e.createdAt())
            .addAllDnsNames(e.dnsNames())
            .addAllFederatesWith(e.federatesWith());
    e.selectors().forEach(s -> b.addSelectors(toProto(s)));
    return b.build();
  }

  static Entry fromProto(spire.api.types.Entry e) {
    var selectors = new TreeSet<Selector>();
    e.getSelectorsList().forEach(s -> selectors.add(new Selector(s.getType(), s.getValue())));
    return new Entry(
        e.getId().isEmpty() ? null : e.getId(),
        fromProto(e.getSpiffeId()),
        fromProto(e.getParentId()),
        selectors,
        e.getDnsNamesList(),
        new TreeSet<>(e.getFederatesWithList()),
        e.getX509SvidTtl(),
        e.getJwtSvidTtl(),
        e.getAdmin(),
        e.getDownstream(),
        e.getHint(),
        e.getStoreSvid(),
        e.getExpiresAt(),
        e.getRevisionNumber(),
        e.getCreatedAt());
  }

  /** A banned agent has no serial number, as on the real server. */
  static spire.api.types.Agent toProto(Agent a, String serialNumber) {
    var b =
        spire.api.types.Agent.newBuilder()
            .setId(toProto(a.id()))
            .setAttestationType(a.attestationType())
            .setX509SvidExpiresAt(a.x509SvidExpiresAt())
            .setX509SvidSerialNumber(a.banned() ? "" : serialNumber)
            .setBanned(a.banned())
            .setCanReattest(a.canReattest());
    a.selectors().forEach(s -> b.addSelectors(toProto(s)));
    return b.build();
  }

  static Agent fromProto(spire.api.types.Agent a) {
    var selectors = new TreeSet<Selector>();
    a.getSelectorsList().forEach(s -> selectors.add(new Selector(s.getType(), s.getValue())));
    return new Agent(
        fromProto(a.getId()),
        a.getAttestationType(),
        selectors,
        a.getBanned(),
        a.getX509SvidExpiresAt(),
        a.getCanReattest());
  }

  static spire.api.types.FederationRelationship toProto(FederationRelationship r) {
    var b =
        spire.api.types.FederationRelationship.newBuilder()
            .setTrustDomain(r.trustDomain())
            .setBundleEndpointUrl(r.bundleEndpointUrl());
    if (r.profile() instanceof BundleEndpointProfile.HttpsSpiffe spiffe) {
      b.setHttpsSpiffe(
          spire.api.types.HTTPSSPIFFEProfile.newBuilder()
              .setEndpointSpiffeId(spiffe.endpointSpiffeId().toString()));
    } else if (r.profile() instanceof BundleEndpointProfile.HttpsWeb) {
      b.setHttpsWeb(spire.api.types.HTTPSWebProfile.getDefaultInstance());
    }
    if (r.bundle() != null) {
      var bundle =
          spire.api.types.Bundle.newBuilder()
              .setTrustDomain(r.bundle().trustDomain())
              .setRefreshHint(r.bundle().refreshHintSeconds())
              .setSequenceNumber(r.bundle().sequenceNumber());
      r.bundle()
          .x509Authorities()
          .forEach(
              a ->
                  bundle.addX509Authorities(
                      spire.api.types.X509Certificate.newBuilder()
                          .setAsn1(ByteString.copyFrom(a.asn1()))));
      r.bundle()
          .jwtAuthorities()
          .forEach(
              k ->
                  bundle.addJwtAuthorities(
                      spire.api.types.JWTKey.newBuilder()
                          .setKeyId(k.keyId())
                          .setPublicKey(ByteString.copyFrom(k.publicKey()))
                          .setExpiresAt(k.expiresAt())));
      b.setTrustDomainBundle(bundle);
    }
    return b.build();
  }

  static FederationRelationship fromProto(spire.api.types.FederationRelationship r) {
    BundleEndpointProfile profile =
        switch (r.getBundleEndpointProfileCase()) {
          case HTTPS_WEB -> new BundleEndpointProfile.HttpsWeb();
          case HTTPS_SPIFFE ->
              new BundleEndpointProfile.HttpsSpiffe(
                  SpiffeId.parse(r.getHttpsSpiffe().getEndpointSpiffeId()));
          case BUNDLEENDPOINTPROFILE_NOT_SET -> new BundleEndpointProfile.Unspecified();
        };
    TrustBundle bundle = null;
    if (r.hasTrustDomainBundle()) {
      var pb = r.getTrustDomainBundle();
      bundle =
          new TrustBundle(
              pb.getTrustDomain(),
              pb.getX509AuthoritiesList().stream()
                  .map(c -> new TrustBundle.X509Authority(c.getAsn1().toByteArray()))
                  .toList(),
              pb.getJwtAuthoritiesList().stream()
                  .map(
                      k ->
                          new TrustBundle.JwtAuthority(
                              k.getKeyId(), k.getPublicKey().toByteArray(), k.getExpiresAt()))
                  .toList(),
              pb.getRefreshHint(),
              pb.getSequenceNumber());
    }
    return new FederationRelationship(
        r.getTrustDomain(), r.getBundleEndpointUrl(), profile, bundle);
  }
}
