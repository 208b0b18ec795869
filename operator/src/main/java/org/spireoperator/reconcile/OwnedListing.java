package org.spireoperator.reconcile;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
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
 *
 * <p>The children listings run {@value #PARALLEL_LISTINGS} at a time (one listing per parent, a
 * call or a few each); the result does not depend on their timing: entries come in the order of the
 * parents, each parent's in the server's order. A failed listing fails the whole read (the listings
 * not yet started are skipped), so the pass stops before it changes anything.
 *
 * <p>A server that holds little besides this cluster's entries is cheaper to read whole, a page at
 * a time, than one listing per node: given a budget, the read lists the whole server first and
 * keeps exactly what the listings by parent would have read (the same entries, in the same order).
 * Once a server holds more than the budget, it is read by parent from then on, so the cost of a
 * pass no longer depends on how many entries others keep there.
 */
final class OwnedListing {

  private static final Logger log = LoggerFactory.getLogger(OwnedListing.class);

  /** Children listings in flight at once: a small fixed bound, the server has other clients. */
  static final int PARALLEL_LISTINGS = 4;

  /**
   * What a listing read: every entry once, and how many listings (pages of the whole server, or
   * listings by parent) it took.
   */
  record Read(List<Entry> entries, int calls) {}

  /**
   * How a pass reads the server's children once the index holds what this operator owns there, so
   * that a server other clusters share costs it none of their node entries: this cluster's node
   * entries by the selector they all carry ({@code clusterSelector}; null when no node entry is
   * written), then by SPIFFE ID each entry of {@code indexed} (entry ID to SPIFFE ID: what the
   * index holds under the server) that this did not return: entries of privileged SpiffeIDs and
   * ClusterStaticEntries, or a node entry whose selectors were changed behind the operator's back.
   * Entries under the server that the index does not hold and that lack the cluster selector (an
   * orphan whose object went away while the operator was down) are found by the first pass after a
   * start or a regained lease, which lists every child of the server.
   */
  record ServerChildren(Selector clusterSelector, Map<String, SpiffeId> indexed) {
    ServerChildren {
      indexed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(indexed));
    }
  }

  /**
   * Entries under the server read a SPIFFE ID at a time at most; with more, every child of the
   * server is listed (fewer calls than that many listings).
   */
  static final int MAX_LISTINGS_BY_SPIFFE_ID = 64;

  private final SpireClient spire;

  /** Set once a whole listing went past its budget; only the pass's thread touches it. */
  private boolean serverShared;

  OwnedListing(SpireClient spire) {
    this.spire = spire;
  }

  /**
   * Reads the server's children, then the children of {@code parents} plus the node entries found
   * among the server's children (for which {@code isNodeEntry} holds): by listing the whole server
   * if it holds at most {@code wholeServerBudget} entries (0: never), else by parent, the server's
   * children as {@code serverChildren} says (null: all of them).
   */
  Read read(
      SpiffeId server,
      java.util.function.Predicate<Entry> isNodeEntry,
      Collection<SpiffeId> parents,
      int wholeServerBudget,
      ServerChildren serverChildren) {
    int probeCalls = 0;
    if (wholeServerBudget > 0 && !serverShared) {
      Optional<SpireClient.EntryPages> whole = spire.listAllEntriesUpTo(wholeServerBudget);
      if (whole.isPresent()) {
        return keptFromWhole(whole.get(), server, isNodeEntry, parents);
      }
      serverShared = true;
      probeCalls = wholeServerBudget / spire.settings().pageSize() + 1;
      log.atInfo()
          .addKeyValue("budget", wholeServerBudget)
          .log(
              "the SPIRE server holds more entries than this cluster's share of them: full passes"
                  + " list it by parent from now on");
    }
    Read byParent = read(server, isNodeEntry, parents, serverChildren);
    return new Read(byParent.entries(), probeCalls + byParent.calls());
  }

  /** What the listings by parent would have read, taken from a listing of the whole server. */
  private static Read keptFromWhole(
      SpireClient.EntryPages whole,
      SpiffeId server,
      java.util.function.Predicate<Entry> isNodeEntry,
      Collection<SpiffeId> parents) {
    Map<SpiffeId, List<Entry>> byParent = new HashMap<>();
    whole
        .entries()
        .forEach(e -> byParent.computeIfAbsent(e.parentId(), p -> new ArrayList<>()).add(e));
    Map<String, Entry> byId = new LinkedHashMap<>();
    Set<SpiffeId> toList = new LinkedHashSet<>();
    for (Entry e : byParent.getOrDefault(server, List.of())) {
      byId.put(e.id(), e);
      if (isNodeEntry.test(e)) {
        toList.add(e.spiffeId());
      }
    }
    toList.addAll(parents);
    toList.remove(server);
    for (SpiffeId parent : toList) {
      for (Entry e : byParent.getOrDefault(parent, List.of())) {
        byId.putIfAbsent(e.id(), e);
      }
    }
    return new Read(new ArrayList<>(byId.values()), whole.pages());
  }

  /**
   * Reads by parent: the server's children (all of them, or as {@code serverChildren} says), then
   * the children of each parent found or given.
   */
  Read read(
      SpiffeId server,
      java.util.function.Predicate<Entry> isNodeEntry,
      Collection<SpiffeId> parents,
      ServerChildren serverChildren) {
    Map<String, Entry> byId = new LinkedHashMap<>();
    Set<SpiffeId> toList = new LinkedHashSet<>();
    Read underServer = childrenOfServer(server, serverChildren);
    for (Entry e : underServer.entries()) {
      byId.put(e.id(), e);
      if (isNodeEntry.test(e)) {
        toList.add(e.spiffeId());
      }
    }
    toList.addAll(parents);
    toList.remove(server);
    for (List<Entry> children : childrenOf(List.copyOf(toList))) {
      for (Entry e : children) {
        byId.putIfAbsent(e.id(), e);
      }
    }
    return new Read(new ArrayList<>(byId.values()), underServer.calls() + toList.size());
  }

  /** The server's children: all of them, or as {@code narrow} says. */
  private Read childrenOfServer(SpiffeId server, ServerChildren narrow) {
    if (narrow == null) {
      return new Read(spire.listEntries(EntryFilter.byParent(server)), 1);
    }
    Map<String, Entry> byId = new LinkedHashMap<>();
    int calls = 0;
    if (narrow.clusterSelector() != null) {
      spire
          .listEntries(EntryFilter.childrenWith(server, Set.of(narrow.clusterSelector())))
          .forEach(e -> byId.put(e.id(), e));
      calls++;
    }
    Set<SpiffeId> unread = new LinkedHashSet<>();
    narrow
        .indexed()
        .forEach(
            (id, spiffeId) -> {
              if (!byId.containsKey(id)) {
                unread.add(spiffeId);
              }
            });
    if (unread.size() > MAX_LISTINGS_BY_SPIFFE_ID) {
      return new Read(spire.listEntries(EntryFilter.byParent(server)), calls + 1);
    }
    for (SpiffeId spiffeId : unread) {
      spire
          .listEntries(EntryFilter.childrenNamed(server, spiffeId))
          .forEach(e -> byId.putIfAbsent(e.id(), e));
      calls++;
    }
    return new Read(new ArrayList<>(byId.values()), calls);
  }

  /** The children of each parent, in the parents' order; throws the first failure. */
  private List<List<Entry>> childrenOf(List<SpiffeId> parents) {
    if (parents.size() <= 1) {
      return parents.stream().map(p -> spire.listEntries(EntryFilter.byParent(p))).toList();
    }
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(PARALLEL_LISTINGS, parents.size()),
            r -> {
              Thread t = new Thread(r, "spire-pass-listing");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<List<Entry>>> listings = new ArrayList<>(parents.size());
      for (SpiffeId parent : parents) {
        listings.add(
            pool.submit(
                () -> {
                  if (failed.get()) {
                    return List.<Entry>of();
                  }
                  try {
                    return spire.listEntries(EntryFilter.byParent(parent));
                  } catch (RuntimeException e) {
                    failed.set(true);
                    throw e;
                  }
                }));
      }
      List<List<Entry>> out = new ArrayList<>(parents.size());
      for (Future<List<Entry>> listing : listings) {
        out.add(await(listing));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Entry> await(Future<List<Entry>> listing) {
    try {
      return listing.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpireException("ListEntries", Status.Code.CANCELLED, "", "interrupted", e);
    }
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
