package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;

/**
 * The reads of a full pass: only the children of the parents this operator's entries can have, so
 * its cost follows this cluster's size, not the server's. First the server's children (node
 * entries, and the entries of privileged SpiffeIDs parented to the server), then the children of
 * every node entry of this cluster (listed or wanted), of this cluster's agents (agent parenting,
 * or once at start to sweep up after it), of the allowed tenant parents and of the parents named by
 * privileged SpiffeIDs.
 */
final class OwnedListing {

  private static final Logger log = LoggerFactory.getLogger(OwnedListing.class);

  /** What a listing read: every entry once, and how many ListEntries calls it took. */
  record Read(List<Entry> entries, int calls) {}

  private final SpireClient spire;

  OwnedListing(SpireClient spire) {
    this.spire = spire;
  }

  /**
   * Reads the server's children, then the children of {@code parents} plus the node entries found
   * among the server's children (for which {@code isNodeEntry} holds).
   */
  Read read(
      SpiffeId server,
      java.util.function.Predicate<Entry> isNodeEntry,
      Collection<SpiffeId> parents) {
    Map<String, Entry> byId = new LinkedHashMap<>();
    int calls = 1;
    Set<SpiffeId> toList = new LinkedHashSet<>();
    for (Entry e : spire.listEntries(EntryFilter.byParent(server))) {
      byId.put(e.id(), e);
      if (isNodeEntry.test(e)) {
        toList.add(e.spiffeId());
      }
    }
    toList.addAll(parents);
    toList.remove(server);
    for (SpiffeId parent : toList) {
      calls++;
      for (Entry e : spire.listEntries(EntryFilter.byParent(parent))) {
        byId.putIfAbsent(e.id(), e);
      }
    }
    return new Read(new ArrayList<>(byId.values()), calls);
  }

  /** The IDs of every agent of this cluster the server knows; empty (with a warning) if refused. */
  static List<SpiffeId> agentsOrNone(AgentDirectory agents) {
    try {
      return agents.allClusterAgents();
    } catch (SpireException e) {
      log.atWarn()
          .addKeyValue("code", e.code())
          .addKeyValue("reason", e.getMessage())
          .log(
              "cannot list this cluster's agents: entries left under them by parent_mode agent"
                  + " stay until a restart");
      return List.of();
    }
  }
}
