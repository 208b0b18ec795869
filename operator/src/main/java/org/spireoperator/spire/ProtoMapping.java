package org.spireoperator.spire;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import spire.api.types.EntryMask;
import spire.api.types.SPIFFEID;
import spire.api.types.SelectorMatch;

/**
 * Conversions between the domain records and the SPIRE API's protobuf messages: the one mapping of
 * the wire format. Public only for the message-level conversions the in-process SPIRE test server
 * shares (so the test server cannot drift from the client); the operator's other packages never see
 * a protobuf type, they call {@link SpireClient}.
 */
public final class ProtoMapping {

  /**
   * Every field the operator manages: sent as input mask with updates, so nothing else is touched.
   */
  static final EntryMask MANAGED_FIELDS =
      EntryMask.newBuilder()
          .setSpiffeId(true)
          .setParentId(true)
          .setSelectors(true)
          .setX509SvidTtl(true)
          .setJwtSvidTtl(true)
          .setFederatesWith(true)
          .setAdmin(true)
          .setDownstream(true)
          .setDnsNames(true)
          .setHint(true)
          .setStoreSvid(true)
          .setExpiresAt(true)
          .build();

  private ProtoMapping() {}

  public static SPIFFEID toProto(SpiffeId id) {
    return SPIFFEID.newBuilder().setTrustDomain(id.trustDomain()).setPath(id.path()).build();
  }

  public static SpiffeId fromProto(SPIFFEID id) {
    return new SpiffeId(id.getTrustDomain().intern(), id.getPath());
  }

  /**
   * A parent ID as the index keeps it: its path interned, since thousands of entries share a node
   * entry or agent as parent.
   */
  private static SpiffeId parentFromProto(SPIFFEID id) {
    return new SpiffeId(id.getTrustDomain().intern(), id.getPath().intern());
  }

  public static spire.api.types.Selector toProto(Selector s) {
    return spire.api.types.Selector.newBuilder().setType(s.type()).setValue(s.value()).build();
  }

  static Selector fromProto(spire.api.types.Selector s) {
    return new Selector(s.getType().intern(), s.getValue());
  }

  public static spire.api.types.Entry toProto(Entry e) {
    var b =
        spire.api.types.Entry.newBuilder()
            .setSpiffeId(toProto(e.spiffeId()))
            .setParentId(toProto(e.parentId()))
            .setX509SvidTtl(e.x509SvidTtl())
            .setJwtSvidTtl(e.jwtSvidTtl())
            .setAdmin(e.admin())
            .setDownstream(e.downstream())
            .setExpiresAt(e.expiresAt())
            .setHint(e.hint())
            .setStoreSvid(e.storeSvid())
            .addAllDnsNames(e.dnsNames())
            .addAllFederatesWith(e.federatesWith());
    if (e.id() != null) {
      b.setId(e.id());
    }
    e.selectors().forEach(s -> b.addSelectors(toProto(s)));
    return b.build();
  }

  public static Entry fromProto(spire.api.types.Entry e) {
    List<Selector> selectors = new ArrayList<>(e.getSelectorsCount());
    e.getSelectorsList().forEach(s -> selectors.add(fromProto(s)));
    return new Entry(
        e.getId().isEmpty() ? null : e.getId(),
        fromProto(e.getSpiffeId()),
        parentFromProto(e.getParentId()),
        new TreeSet<>(selectors),
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

  public static Agent fromProto(spire.api.types.Agent a) {
    List<Selector> selectors = new ArrayList<>(a.getSelectorsCount());
    a.getSelectorsList().forEach(s -> selectors.add(fromProto(s)));
    return new Agent(
        fromProto(a.getId()),
        a.getAttestationType(),
        new TreeSet<>(selectors),
        a.getBanned(),
        a.getX509SvidExpiresAt(),
        a.getCanReattest());
  }

  // ------------------------------------------------------------------ federation

  /** URL and profile, plus the bundle when the relationship carries one. */
  static spire.api.types.FederationRelationshipMask updateMask(FederationRelationship r) {
    return spire.api.types.FederationRelationshipMask.newBuilder()
        .setBundleEndpointUrl(true)
        .setBundleEndpointProfile(true)
        .setTrustDomainBundle(r.bundle() != null)
        .build();
  }

  public static spire.api.types.FederationRelationship toProto(FederationRelationship r) {
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
      b.setTrustDomainBundle(toProto(r.bundle()));
    }
    return b.build();
  }

  public static FederationRelationship fromProto(spire.api.types.FederationRelationship r) {
    BundleEndpointProfile profile =
        switch (r.getBundleEndpointProfileCase()) {
          case HTTPS_WEB -> new BundleEndpointProfile.HttpsWeb();
          case HTTPS_SPIFFE -> spiffeProfile(r.getHttpsSpiffe().getEndpointSpiffeId());
          case BUNDLEENDPOINTPROFILE_NOT_SET -> new BundleEndpointProfile.Unspecified();
        };
    return new FederationRelationship(
        r.getTrustDomain(),
        r.getBundleEndpointUrl(),
        profile,
        r.hasTrustDomainBundle() ? fromProto(r.getTrustDomainBundle()) : null);
  }

  private static BundleEndpointProfile spiffeProfile(String endpointSpiffeId) {
    try {
      return new BundleEndpointProfile.HttpsSpiffe(SpiffeId.parse(endpointSpiffeId));
    } catch (InvalidSpiffeIdException e) {
      return new BundleEndpointProfile.Unspecified();
    }
  }

  static spire.api.types.Bundle toProto(TrustBundle bundle) {
    var b =
        spire.api.types.Bundle.newBuilder()
            .setTrustDomain(bundle.trustDomain())
            .setRefreshHint(bundle.refreshHintSeconds())
            .setSequenceNumber(bundle.sequenceNumber());
    bundle
        .x509Authorities()
        .forEach(
            a ->
                b.addX509Authorities(
                    spire.api.types.X509Certificate.newBuilder()
                        .setAsn1(com.google.protobuf.ByteString.copyFrom(a.asn1()))));
    bundle
        .jwtAuthorities()
        .forEach(
            a ->
                b.addJwtAuthorities(
                    spire.api.types.JWTKey.newBuilder()
                        .setKeyId(a.keyId())
                        .setPublicKey(com.google.protobuf.ByteString.copyFrom(a.publicKey()))
                        .setExpiresAt(a.expiresAt())));
    return b.build();
  }

  static TrustBundle fromProto(spire.api.types.Bundle bundle) {
    return new TrustBundle(
        bundle.getTrustDomain(),
        bundle.getX509AuthoritiesList().stream()
            .map(c -> new TrustBundle.X509Authority(c.getAsn1().toByteArray()))
            .toList(),
        bundle.getJwtAuthoritiesList().stream()
            .map(
                k ->
                    new TrustBundle.JwtAuthority(
                        k.getKeyId(), k.getPublicKey().toByteArray(), k.getExpiresAt()))
            .toList(),
        bundle.getRefreshHint(),
        bundle.getSequenceNumber());
  }

  static SelectorMatch.MatchBehavior toProto(EntryFilter.Match m) {
    return switch (m == null ? EntryFilter.Match.EXACT : m) {
      case EXACT -> SelectorMatch.MatchBehavior.MATCH_EXACT;
      case SUBSET -> SelectorMatch.MatchBehavior.MATCH_SUBSET;
      case SUPERSET -> SelectorMatch.MatchBehavior.MATCH_SUPERSET;
      case ANY -> SelectorMatch.MatchBehavior.MATCH_ANY;
    };
  }

  static spire.api.types.FederatesWithMatch.MatchBehavior toFederatesWithProto(
      EntryFilter.Match m) {
    return switch (m == null ? EntryFilter.Match.EXACT : m) {
      case EXACT -> spire.api.types.FederatesWithMatch.MatchBehavior.MATCH_EXACT;
      case SUBSET -> spire.api.types.FederatesWithMatch.MatchBehavior.MATCH_SUBSET;
      case SUPERSET -> spire.api.types.FederatesWithMatch.MatchBehavior.MATCH_SUPERSET;
      case ANY -> spire.api.types.FederatesWithMatch.MatchBehavior.MATCH_ANY;
    };
  }

  static spire.api.server.entry.v1.ListEntriesRequest.Filter toProto(EntryFilter f) {
    var b = spire.api.server.entry.v1.ListEntriesRequest.Filter.newBuilder();
    if (f.bySpiffeId() != null) {
      b.setBySpiffeId(toProto(f.bySpiffeId()));
    }
    if (f.byParentId() != null) {
      b.setByParentId(toProto(f.byParentId()));
    }
    if (f.bySelectors() != null) {
      var m = SelectorMatch.newBuilder().setMatch(toProto(f.selectorMatch()));
      f.bySelectors().stream().sorted().forEach(s -> m.addSelectors(toProto(s)));
      b.setBySelectors(m);
    }
    if (f.byFederatesWith() != null) {
      var m =
          spire.api.types.FederatesWithMatch.newBuilder()
              .setMatch(toFederatesWithProto(f.federatesWithMatch()))
              .addAllTrustDomains(f.byFederatesWith().stream().sorted().toList());
      b.setByFederatesWith(m);
    }
    if (f.byHint() != null) {
      b.setByHint(com.google.protobuf.StringValue.of(f.byHint()));
    }
    return b.build();
  }

  static spire.api.server.agent.v1.ListAgentsRequest.Filter toProto(AgentFilter f) {
    var b = spire.api.server.agent.v1.ListAgentsRequest.Filter.newBuilder();
    if (f.byAttestationType() != null) {
      b.setByAttestationType(f.byAttestationType());
    }
    if (f.bySelectors() != null) {
      var m = SelectorMatch.newBuilder().setMatch(toProto(f.selectorMatch()));
      f.bySelectors().stream().sorted().forEach(s -> m.addSelectors(toProto(s)));
      b.setBySelectorMatch(m);
    }
    if (f.byBanned() != null) {
      b.setByBanned(com.google.protobuf.BoolValue.of(f.byBanned()));
    }
    return b.build();
  }
}
