package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import org.spireoperator.spire.EntryFilter.Match;
import spire.api.types.Agent;
import spire.api.types.Selector;
import spire.api.types.SelectorMatch;

/**
 * A ListAgents/CountAgents filter as the server applies it ({@code agent/v1/service.go}, sqlstore):
 * an empty attestation type filters nothing; banned means the agent has no certificate serial
 * number; selector matches as for entries ({@link SetMatch}); {@code by_expires_before} in Go's
 * {@code "2006-01-02 15:04:05 -0700 -07"} layout (unparseable: no filter, as the server ignores the
 * parse error).
 */
record AgentQuery(
    String attestationType,
    Boolean banned,
    Boolean canReattest,
    Long expiresBefore,
    Set<Selector> selectors,
    Match selectorMatch) {

  static final AgentQuery ALL = new AgentQuery("", null, null, null, null, null);

  private static final DateTimeFormatter EXPIRES_BEFORE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xx x");

  static AgentQuery parse(
      String byAttestationType,
      Boolean byBanned,
      Boolean byCanReattest,
      String byExpiresBefore,
      SelectorMatch bySelectorMatch,
      String failurePrefix) {
    Long expiresBefore = null;
    if (!byExpiresBefore.isEmpty()) {
      try {
        expiresBefore = OffsetDateTime.parse(byExpiresBefore, EXPIRES_BEFORE).toEpochSecond();
      } catch (DateTimeParseException ignored) {
        // the server drops the parse error and does not filter
      }
    }
    Set<Selector> selectors = null;
    Match match = null;
    if (bySelectorMatch != null) {
      try {
        selectors = new HashSet<>(EntryValidation.selectors(bySelectorMatch.getSelectorsList()));
      } catch (IllegalArgumentException e) {
        throw new ItemFailure(
            Status.Code.INVALID_ARGUMENT, "failed to parse selectors: " + e.getMessage());
      }
      if (selectors.isEmpty()) {
        // the datastore's InvalidArgument, wrapped by the API as INTERNAL
        throw new ItemFailure(
            Status.Code.INTERNAL, failurePrefix + ": cannot list by empty selectors set");
      }
      match = SetMatch.fromNumber(bySelectorMatch.getMatchValue(), "selectors");
    }
    return new AgentQuery(
        byAttestationType, byBanned, byCanReattest, expiresBefore, selectors, match);
  }

  boolean preselects(Agent a) {
    if (!attestationType.isEmpty() && !attestationType.equals(a.getAttestationType())) {
      return false;
    }
    if (banned != null && banned != a.getBanned()) {
      return false;
    }
    if (canReattest != null && canReattest != a.getCanReattest()) {
      return false;
    }
    if (expiresBefore != null && a.getX509SvidExpiresAt() >= expiresBefore) {
      return false;
    }
    return selectors == null
        || SetMatch.selectorsPreselected(
            selectorMatch, new HashSet<>(a.getSelectorsList()), selectors);
  }

  boolean postFilterKeeps(Agent a) {
    return selectors == null
        || SetMatch.selectorsKept(selectorMatch, new HashSet<>(a.getSelectorsList()), selectors);
  }

  PagedScan.Query<Agent> toScan() {
    return new PagedScan.Query<>(this::preselects, a -> true, this::postFilterKeeps);
  }
}
