package org.spireoperator.reconcile;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.spireoperator.crd.Admission;
import org.spireoperator.crd.PodMirrors;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIdRules;
import org.spireoperator.registration.Decision;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.Diagnostic;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.OrphanKey;
import org.spireoperator.registration.PodEntries;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.registration.ServiceEndpoint;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.entries.ParentRule;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.TenantConfinement;

/**
 * What the cluster says each subject should have: the one desired-state computation, shared by the
 * incremental path, the full pass, {@code plan} and {@code explain}. A pure function of the cluster
 * view and, with agent parenting, the agent directory: it reads caches, writes nothing and posts
 * nothing; what the user should hear comes back as {@link Diagnostic}s.
 */
public final class DesiredState {

  private final RegistrationSettings settings;
  private final ClusterView cluster;
  private final NodeEntries nodeEntries;
  private final PodEntries podEntries;
  private final AgentDirectory agents;
  private final SpiffeIdRules spiffeIdRules;
  private final ScmDecisions scm;

  /**
   * @param agents null unless pod entries are parented to agents
   */
  public DesiredState(
      RegistrationSettings settings,
      ClusterView cluster,
      AgentDirectory agents,
      SpiffeIdRules spiffeIdRules) {
    this.settings = settings;
    this.cluster = cluster;
    this.nodeEntries = new NodeEntries(settings);
    this.podEntries = new PodEntries(settings);
    this.agents = agents;
    this.spiffeIdRules = spiffeIdRules;
    this.scm =
        new ScmDecisions(
            settings.scm(),
            cluster,
            scmParent(settings.scm().parent()),
            settings.tenant(),
            settings.operatorIdRoot());
  }

  private ParentRule scmParent(ScmIntegration.Parent parent) {
    if (parent == ScmIntegration.Parent.AGENT_BY_NODE_UID) {
      return ParentRule.scmDefault();
    }
    return (node, data) -> {
      try {
        return Outcome.ok(nodeEntries.idFor(node.name()));
      } catch (InvalidSpiffeIdException e) {
        return Outcome.failed("node name \"" + node.name() + "\" gives an " + e.getMessage());
      }
    };
  }

  /** spire-controller-manager's API, as this operator serves it. */
  ScmDecisions scm() {
    return scm;
  }

  public NodeEntries nodeEntries() {
    return nodeEntries;
  }

  public Decision decide(Subject subject) {
    if (subject instanceof PodKey pod) {
      return cluster
          .pod(pod)
          .map(this::forPod)
          .orElseGet(() -> Decision.of(new Desired.Unwanted("pod is gone")));
    }
    if (subject instanceof NodeKey node) {
      return Decision.of(forNode(node.name()));
    }
    if (subject instanceof SpiffeIdKey key) {
      return Decision.of(forSpiffeId(key));
    }
    if (subject instanceof WorkloadKey key) {
      return Decision.of(scm.forWorkload(key));
    }
    if (subject instanceof StaticEntryKey key) {
      return Decision.of(scm.forStatic(key));
    }
    return Decision.of(
        new Desired.Unwanted("no object owns entry " + ((OrphanKey) subject).entryId()));
  }

  private Desired forNode(String node) {
    if (settings.scm().alone()) {
      return new Desired.Unwanted(
          "no node entries: spire-controller-manager's API alone is served");
    }
    return cluster.nodeExists(node)
        ? nodeEntries.desired(node, cluster.agentOn(node).orElse(null))
        : new Desired.Unwanted("node is gone");
  }

  /** A pod's decision; pods are registered only when the configuration says so. */
  public Decision forPod(PodView pod) {
    if (!settings.registersPods()) {
      return Decision.of(new Desired.Unwanted("pods get no entries (pod_controller = false)"));
    }
    if (scm.enabled()) {
      ScmIntegration.RegistrarPods policy = settings.scm().registrarPods();
      if (policy == ScmIntegration.RegistrarPods.OFF) {
        return Decision.of(
            new Desired.Unwanted("the registrar's pod entries are off (ClusterSPIFFEIDs only)"));
      }
      if (policy == ScmIntegration.RegistrarPods.FALLBACK && scm.givesEntry(pod.key())) {
        return Decision.of(
            new Desired.Unwanted("a ClusterSPIFFEID gives the pod its entry (registrar fallback)"));
      }
    }
    if (!pod.isScheduled()) {
      return Decision.of(podEntries.desired(pod, nodeEntries.server(), List.of()));
    }
    SpiffeId nodeEntryId;
    try {
      nodeEntryId = nodeEntries.idFor(pod.nodeName());
    } catch (InvalidSpiffeIdException e) {
      return Decision.of(
          new Desired.Rejected("node name \"" + pod.nodeName() + "\" gives an " + e.getMessage()));
    }
    SpiffeId parent = nodeEntryId;
    List<Diagnostic> diagnostics = List.of();
    if (agents != null) {
      Optional<SpiffeId> agent = agents.agentFor(pod.nodeName());
      if (agent.isPresent()) {
        parent = agent.get();
      } else {
        diagnostics =
            List.of(
                new Diagnostic(
                    new NodeKey(pod.nodeName()),
                    "NoAgentIdentified",
                    "no attested agent identifies node "
                        + pod.nodeName()
                        + "; pod entries are parented to its node entry "
                        + nodeEntryId));
      }
    }
    List<ServiceEndpoint> endpoints =
        settings.needsEndpoints() ? cluster.endpointsOf(pod.key()) : List.of();
    return new Decision(podEntries.desired(pod, parent, endpoints), diagnostics);
  }

  private Desired forSpiffeId(SpiffeIdKey key) {
    if (cluster
        .spiffeId(key)
        .filter(s -> s.getMetadata().getDeletionTimestamp() != null)
        .isPresent()) {
      return new Desired.Unwanted("SpiffeID is gone");
    }
    return askedBy(key);
  }

  /**
   * What a SpiffeID's spec asks for, after tenant confinement, even while the SpiffeID is being
   * deleted (its finalizer holds it until its entries are gone): whose entries it had is judged by
   * this, what it wants now by {@link #decide}.
   */
  public Desired askedBy(SpiffeIdKey key) {
    if (settings.scm().alone()) {
      return new Desired.Unwanted(
          "SpiffeIDs are not served: spire-controller-manager's API alone is served");
    }
    Optional<SpiffeID> found = cluster.spiffeId(key);
    if (found.isEmpty()) {
      return new Desired.Unwanted("SpiffeID is gone");
    }
    SpiffeID resource = found.get();
    Optional<PodKey> claimed = PodMirrors.claimedPod(resource);
    if (claimed.isPresent()) {
      return PodMirrors.mirroredPod(resource, cluster::pod).isPresent()
          ? new Desired.Unwanted("a pod mirror: its pod " + claimed.get() + " has the entry")
          : new Desired.Unwanted(
              "a stale pod mirror: its pod "
                  + claimed.get()
                  + " is gone or was replaced; the mirror is deleted, not registered");
    }
    TenantConfinement.Parents parents = parents();
    Admission admission = spiffeIdRules.admit(resource, parents);
    if (admission instanceof Admission.Allowed allowed) {
      return new Desired.Wanted(allowed.entry());
    }
    if (admission instanceof Admission.Invalid invalid) {
      return new Desired.Rejected(invalid.message(), "InvalidSpec", e -> true);
    }
    String namespace = key.namespace();
    return new Desired.Rejected(admission.message(), "Forbidden", e -> stillAllowed(namespace, e));
  }

  /**
   * Whether an entry the SpiffeID already has may stay while its new spec is refused: yes unless
   * the entry itself breaks the rules now (the rules may have been tightened). The parent rule is
   * left out: it depends on the node set of the moment, and an empty or shrinking node set must
   * never cost a tenant its entries.
   */
  private boolean stillAllowed(String namespace, Entry entry) {
    return spiffeIdRules
        .confinement()
        .check(
            namespace,
            entry,
            spiffeIdRules.operatorIdRoot(),
            TenantConfinement.Parents.ANY,
            TenantConfinement.Vouched.NOTHING)
        .isEmpty();
  }

  /** This cluster's node entry IDs and agents: the parents a confined entry may have. */
  public TenantConfinement.Parents parents() {
    Set<SpiffeId> ids = new HashSet<>();
    for (String node : cluster.nodeNames()) {
      try {
        ids.add(nodeEntries.idFor(node));
      } catch (InvalidSpiffeIdException e) {
        // such a node has no entry
      }
    }
    return new TenantConfinement.Parents(ids, nodeEntries::isClusterAgent);
  }
}
