package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.spireoperator.spire.SpiffeId;
import spire.api.types.Entry;
import spire.api.types.EntryMask;
import spire.api.types.SPIFFEID;
import spire.api.types.Selector;

/**
 * The entry API's conversion of a requested entry ({@code api.ProtoToRegistrationEntryWithMask}):
 * validates the fields the mask names (all of them without a mask) and returns the entry normalised
 * as the server stores it (trust domain names, masked fields only). Failures are INVALID_ARGUMENT
 * "failed to convert entry: ...".
 *
 * <p>The datastore's own checks (TTLs, store_svid selector types, custom entry IDs) come later, in
 * {@link EntryStore}.
 */
final class EntryValidation {

  static final EntryMask ALL_FIELDS =
      EntryMask.newBuilder()
          .setSpiffeId(true)
          .setParentId(true)
          .setSelectors(true)
          .setX509SvidTtl(true)
          .setFederatesWith(true)
          .setAdmin(true)
          .setDownstream(true)
          .setExpiresAt(true)
          .setDnsNames(true)
          .setRevisionNumber(true)
          .setStoreSvid(true)
          .setJwtSvidTtl(true)
          .setHint(true)
          .setCreatedAt(true)
          .setAdditionalAttributes(true)
          .build();

  private static final int HINT_MAX_LENGTH = 1024;

  private final SpiffeIdRules ids;
  private final ServerSemantics semantics;

  EntryValidation(SpiffeIdRules ids, ServerSemantics semantics) {
    this.ids = ids;
    this.semantics = semantics;
  }

  /**
   * @param mask the input mask; null means every field
   */
  Entry convert(Entry e, EntryMask mask) {
    try {
      return convertOrThrow(e, mask == null ? ALL_FIELDS : mask);
    } catch (IllegalArgumentException problem) {
      throw new ItemFailure(
          Status.Code.INVALID_ARGUMENT, "failed to convert entry: " + problem.getMessage());
    }
  }

  private Entry convertOrThrow(Entry e, EntryMask mask) {
    var out = Entry.newBuilder().setId(e.getId());
    if (mask.getParentId()) {
      out.setParentId(
          proto(prefixed("invalid parent ID", () -> ids.member(e.getParentId(), e.hasParentId()))));
    }
    if (mask.getSpiffeId()) {
      out.setSpiffeId(
          proto(
              prefixed("invalid spiffe ID", () -> ids.workload(e.getSpiffeId(), e.hasSpiffeId()))));
    }
    if (mask.getAdmin()) {
      out.setAdmin(e.getAdmin());
    }
    if (mask.getDnsNames()) {
      for (String name : e.getDnsNamesList()) {
        String problem = DnsNameRule.problem(name);
        if (problem != null) {
          throw new IllegalArgumentException("invalid DNS name: " + problem);
        }
        out.addDnsNames(name);
      }
    }
    if (mask.getDownstream()) {
      out.setDownstream(e.getDownstream());
    }
    if (mask.getExpiresAt()) {
      out.setExpiresAt(e.getExpiresAt());
    }
    if (mask.getFederatesWith()) {
      Set<String> names = new LinkedHashSet<>();
      for (String td : e.getFederatesWithList()) {
        names.add(
            prefixed("invalid federated trust domain", () -> SpiffeIdRules.trustDomainName(td)));
      }
      out.addAllFederatesWith(names);
    }
    if (mask.getSelectors()) {
      if (e.getSelectorsCount() == 0) {
        throw new IllegalArgumentException("selector list is empty");
      }
      out.addAllSelectors(selectors(e.getSelectorsList()));
    }
    if (mask.getRevisionNumber()) {
      out.setRevisionNumber(e.getRevisionNumber());
    }
    if (mask.getStoreSvid()) {
      out.setStoreSvid(e.getStoreSvid());
    }
    if (mask.getX509SvidTtl()) {
      out.setX509SvidTtl(e.getX509SvidTtl());
    }
    if (mask.getJwtSvidTtl()) {
      out.setJwtSvidTtl(e.getJwtSvidTtl());
    }
    if (mask.getHint()) {
      if (e.getHint().length() > HINT_MAX_LENGTH) {
        throw new IllegalArgumentException(
            "hint is too long, max length is " + HINT_MAX_LENGTH + " characters");
      }
      out.setHint(e.getHint());
    }
    if (mask.getAdditionalAttributes()
        && e.hasAdditionalAttributes()
        && semantics.hasAdditionalAttributes()) {
      out.setAdditionalAttributes(e.getAdditionalAttributes());
    }
    return out.build();
  }

  /** {@code api.SelectorsFromProto}: type non-empty without ':', value non-empty. */
  static List<Selector> selectors(List<Selector> selectors) {
    for (Selector s : selectors) {
      if (s.getType().isEmpty()) {
        throw new IllegalArgumentException("missing selector type");
      }
      if (s.getType().contains(":")) {
        throw new IllegalArgumentException("selector type contains ':'");
      }
      if (s.getValue().isEmpty()) {
        throw new IllegalArgumentException("missing selector value");
      }
    }
    return selectors;
  }

  static SPIFFEID proto(SpiffeId id) {
    return SPIFFEID.newBuilder().setTrustDomain(id.trustDomain()).setPath(id.path()).build();
  }

  private static <T> T prefixed(String prefix, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + ": " + e.getMessage());
    }
  }
}
