package org.spireoperator.spire;

import java.util.Set;

/** A server-side filter for ListAgents. Null fields do not filter. */
public record AgentFilter(
    String byAttestationType,
    Set<Selector> bySelectors,
    EntryFilter.Match selectorMatch,
    Boolean byBanned) {

  public AgentFilter {
    bySelectors = bySelectors == null ? null : Set.copyOf(bySelectors);
  }

  public static AgentFilter byAttestationType(String type) {
    return new AgentFilter(type, null, null, false);
  }
}
