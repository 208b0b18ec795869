package org.spireoperator.spire.testserver;

import com.google.protobuf.BoolValue;
import com.google.protobuf.StringValue;
import io.grpc.Status;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.spireoperator.spire.EntryFilter.Match;
import spire.api.types.Entry;
import spire.api.types.FederatesWithMatch;
import spire.api.types.SPIFFEID;
import spire.api.types.Selector;
import spire.api.types.SelectorMatch;

/**
 * A ListEntries/CountEntries filter as the server understands it, validated like {@code
 * entry/v1/service.go} (malformed filters are INVALID_ARGUMENT) and applied like the SQL datastore:
 * all given filters AND-ed; an empty {@code by_hint} and {@code by_downstream=false} filter
 * nothing; {@code by_downstream=true} is applied after the page is cut (a quirk of the real query,
 * see {@link PagedScan}).
 */
record EntryQuery(
    String spiffeId,
    String parentId,
    String hint,
    Set<Selector> selectors,
    Match selectorMatch,
    Set<String> federatesWith,
    Match federatesWithMatch,
    boolean downstreamOnly) {

  static final EntryQuery ALL = new EntryQuery(null, null, "", null, null, null, null, false);

  /**
   * Builds the query from the filter fields shared by ListEntriesRequest.Filter and
   * CountEntriesRequest.Filter.
   */
  static EntryQuery parse(
      SpiffeIdRules ids,
      SPIFFEID bySpiffeId,
      SPIFFEID byParentId,
      SelectorMatch bySelectors,
      FederatesWithMatch byFederatesWith,
      StringValue byHint,
      BoolValue byDownstream) {
    String parent = null;
    if (byParentId != null) {
      parent = malformed("parent ID", () -> ids.member(byParentId, true).toString());
    }
    String spiffe = null;
    if (bySpiffeId != null) {
      spiffe = malformed("SPIFFE ID", () -> ids.workload(bySpiffeId, true).toString());
    }
    Set<Selector> selectors = null;
    Match selectorMatch = null;
    if (bySelectors != null) {
      selectors =
          new HashSet<>(
              malformed(
                  "selectors", () -> EntryValidation.selectors(bySelectors.getSelectorsList())));
      if (selectors.isEmpty()) {
        throw new ItemFailure(
            Status.Code.INVALID_ARGUMENT, "malformed selectors filter: empty selector set");
      }
      selectorMatch = SetMatch.fromNumber(bySelectors.getMatchValue(), "selectors");
    }
    Set<String> federatesWith = null;
    Match federatesWithMatch = null;
    if (byFederatesWith != null) {
      federatesWith = new HashSet<>();
      for (String td : byFederatesWith.getTrustDomainsList()) {
        federatesWith.add(malformed("federates with", () -> SpiffeIdRules.trustDomainName(td)));
      }
      if (federatesWith.isEmpty()) {
        throw new ItemFailure(
            Status.Code.INVALID_ARGUMENT,
            "malformed federates with filter: empty trust domain set");
      }
      federatesWithMatch = SetMatch.fromNumber(byFederatesWith.getMatchValue(), "federates with");
    }
    return new EntryQuery(
        spiffe,
        parent,
        byHint == null ? "" : byHint.getValue(),
        selectors,
        selectorMatch,
        federatesWith,
        federatesWithMatch,
        byDownstream != null && byDownstream.getValue());
  }

  /** What the SQL filter selects before the page limit. */
  boolean preselects(Entry e) {
    if (spiffeId != null && !spiffeId.equals(idString(e.getSpiffeId()))) {
      return false;
    }
    if (parentId != null && !parentId.equals(idString(e.getParentId()))) {
      return false;
    }
    if (!hint.isEmpty() && !hint.equals(e.getHint())) {
      return false;
    }
    if (selectors != null
        && !SetMatch.selectorsPreselected(
            selectorMatch, new HashSet<>(e.getSelectorsList()), selectors)) {
      return false;
    }
    return federatesWith == null
        || SetMatch.federatesWithMatch(
            federatesWithMatch, new HashSet<>(e.getFederatesWithList()), federatesWith);
  }

  /** What the outer query keeps of a page (only {@code by_downstream=true} removes anything). */
  boolean keeps(Entry e) {
    return !downstreamOnly || e.getDownstream();
  }

  /** The selector post-filter after the page is cut. */
  boolean postFilterKeeps(Entry e) {
    return selectors == null
        || SetMatch.selectorsKept(selectorMatch, new HashSet<>(e.getSelectorsList()), selectors);
  }

  boolean matches(Entry e) {
    return preselects(e) && keeps(e) && postFilterKeeps(e);
  }

  static String idString(SPIFFEID id) {
    return "spiffe://" + id.getTrustDomain() + id.getPath();
  }

  private static <T> T malformed(String what, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new ItemFailure(
          Status.Code.INVALID_ARGUMENT, "malformed " + what + " filter: " + e.getMessage());
    }
  }
}
