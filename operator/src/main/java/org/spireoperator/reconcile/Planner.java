package org.spireoperator.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.ParentMode;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;

/**
 * The read-only commands: {@code plan} (the writes a full pass would queue now) and {@code explain}
 * (one pod's registration). They read SPIRE and the cluster and write nothing.
 */
public final class Planner {

  private final RegistrationSettings settings;
  private final ClusterView cluster;
  private final SpireClient spire;
  private final DesiredState desiredState;
  private final Ownership ownership;
  private final AgentDirectory agents;
  private final NodeEntries nodeEntries;

  public Planner(
      RegistrationSettings settings,
      ClusterView cluster,
      SpireClient spire,
      DesiredState desiredState,
      Ownership ownership,
      AgentDirectory agents) {
    this.settings = settings;
    this.cluster = cluster;
    this.spire = spire;
    this.desiredState = desiredState;
    this.ownership = ownership;
    this.agents = agents;
    this.nodeEntries = desiredState.nodeEntries();
  }

  /**
   * The writes a full pass would make now, subject by subject merged into one diff, and the entries
   * taken over from spire-controller-manager or adopted from upstream's registrar by a SpiffeID
   * unchanged.
   */
  public Plan plan() {
    if (settings.parentMode() == ParentMode.AGENT) {
      agents.refresh();
    }
    LiveSubjects live =
        LiveSubjects.of(settings, cluster, ownership.ids(), nodeEntries, desiredState.scm());
    Set<SpiffeId> parents = new LinkedHashSet<>(live.parents());
    parents.addAll(
        settings.parentMode() == ParentMode.AGENT
            ? agents.placedAgents()
            : OwnedListing.agentsOrNone(agents));
    if (ownership.takeover().isOn()) {
      parents.addAll(LiveSubjects.nodeAgents(settings, cluster));
    }
    OwnedListing.Read read =
        new OwnedListing(spire)
            .read(
                nodeEntries.server(),
                e -> !settings.scm().alone() && nodeEntries.ownerOf(e).isPresent(),
                parents,
                null);
    Map<Subject, Desired> decisions = new HashMap<>();
    Function<Subject, Desired> decide =
        s -> decisions.computeIfAbsent(s, k -> desiredState.decide(k).desired());
    Map<Subject, List<Entry>> listed =
        live.classify(read.entries(), ownership, decide, desiredState::askedBy);
    Set<Subject> subjects = new LinkedHashSet<>(live.subjects());
    subjects.addAll(listed.keySet());
    List<Entry> creates = new ArrayList<>();
    List<Entry> updates = new ArrayList<>();
    List<Entry> deletes = new ArrayList<>();
    List<Entry> adoptions = new ArrayList<>();
    for (Subject s : subjects) {
      List<Entry> current = listed.getOrDefault(s, List.of());
      EntryDiff d = EntryDiff.forSubject(decide.apply(s), current, ownership.ids().idFor(s));
      creates.addAll(d.creates());
      updates.addAll(d.updates());
      deletes.addAll(d.deletes());
      Set<String> written = new HashSet<>();
      d.updates().forEach(e -> written.add(e.id()));
      d.deletes().forEach(e -> written.add(e.id()));
      current.stream()
          .filter(e -> ownership.isClaimed(s, e))
          .filter(e -> !written.contains(e.id()))
          .forEach(adoptions::add);
    }
    return new Plan(new EntryDiff(creates, updates, deletes), adoptions);
  }

  /** Explains one pod's registration, reading only that pod's entries from SPIRE. */
  public Explanation explain(PodKey key) {
    if (settings.parentMode() == ParentMode.AGENT) {
      agents.refresh();
    }
    Desired desired = desiredState.decide(key).desired();
    List<Entry> current = new ArrayList<>();
    String markedId = ownership.ids().idFor(key);
    spire.getEntry(markedId).ifPresent(current::add);
    Set<Selector> podSelectors =
        Set.of(Selector.k8s("ns", key.namespace()), Selector.k8s("pod-name", key.name()));
    for (Entry e :
        spire.listEntries(EntryFilter.bySelectors(podSelectors, EntryFilter.Match.SUPERSET))) {
      if (!e.id().equals(markedId)
          && ownership.ownerOf(e, id -> null).filter(key::equals).isPresent()) {
        current.add(e);
      }
    }
    String receivedBy = "nobody";
    if (desired instanceof Desired.Wanted w) {
      SpiffeId parent = w.entry().parentId();
      receivedBy =
          nodeEntries
              .nodeNameOf(parent)
              .map(
                  node ->
                      "the agent(s) matching node entry "
                          + parent
                          + " of node "
                          + node
                          + cluster
                              .agentOn(node)
                              .map(
                                  a ->
                                      " (agent pod service account "
                                          + a.namespace()
                                          + "/"
                                          + a.serviceAccount()
                                          + ")")
                              .orElse(""))
              .orElse("agent " + parent);
    }
    return new Explanation(
        key, desired, current, EntryDiff.forSubject(desired, current, markedId), receivedBy);
  }
}
