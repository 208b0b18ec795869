package org.spireoperator.spire.testserver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import spire.api.types.Agent;

/** Attested agents as the datastore keeps them (row order), added by tests. Thread-safe. */
final class AgentStore {

  private final RowTable<Agent> table = new RowTable<>();
  private final Map<String, Long> rowsById = new HashMap<>();

  /** Adds the agent, or replaces the one with the same SPIFFE ID in place. */
  synchronized Agent put(Agent agent) {
    String id = EntryQuery.idString(agent.getId());
    Long row = rowsById.get(id);
    if (row == null) {
      rowsById.put(id, table.insert(agent).id());
    } else {
      table.replace(row, agent);
    }
    return agent;
  }

  synchronized boolean remove(String spiffeId) {
    Long row = rowsById.remove(spiffeId);
    if (row == null) {
      return false;
    }
    table.remove(row);
    return true;
  }

  synchronized Optional<Agent> get(String spiffeId) {
    Long row = rowsById.get(spiffeId);
    return row == null ? Optional.empty() : Optional.of(table.get(row));
  }

  synchronized List<Agent> all() {
    return table.values();
  }

  synchronized PagedScan.Page<Agent> list(AgentQuery q, int pageSize, String token) {
    return PagedScan.list(table, q.toScan(), pageSize, token, "failed to list agents");
  }

  synchronized int count(AgentQuery q) {
    return PagedScan.count(table, q.toScan());
  }
}
