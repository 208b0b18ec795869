package org.spireoperator.reconcile;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.registration.AgentAccount;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;
import org.spireoperator.registration.ServiceEndpoint;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.entries.ScmNamespace;
import org.spireoperator.scm.entries.ScmNode;
import org.spireoperator.scm.entries.ScmPod;

/** What the operator reads of the cluster: the informer caches, seen through domain values. */
public interface ClusterView {

  /** True once every cache has its initial listing. */
  boolean isSynced();

  Optional<PodView> pod(PodKey key);

  Collection<PodView> pods();

  /** Pods scheduled to a node. */
  Collection<PodView> podsOn(String nodeName);

  boolean nodeExists(String nodeName);

  Collection<String> nodeNames();

  /** The SPIRE agent pod's account on a node, if an agent pod runs there. */
  Optional<AgentAccount> agentOn(String nodeName);

  /** The nodes whose agent pod runs with this account. */
  Collection<String> nodesWithAgent(AgentAccount account);

  /**
   * The Service endpoints that target a pod (empty unless DNS names are enabled); only endpoints of
   * the pod's own namespace.
   */
  List<ServiceEndpoint> endpointsOf(PodKey key);

  /** A SpiffeID resource as the cache holds it. */
  Optional<SpiffeID> spiffeId(SpiffeIdKey key);

  /** Every SpiffeID resource. */
  Collection<SpiffeID> spiffeIds();

  // spire-controller-manager's API (empty when it is not served)

  Collection<ClusterSPIFFEID> clusterSpiffeIds();

  Optional<ClusterSPIFFEID> clusterSpiffeId(String name);

  Collection<ClusterStaticEntry> staticEntries();

  Optional<ClusterStaticEntry> staticEntry(String name);

  /** A namespace's name and labels, if it exists (namespaces are watched only for this API). */
  Optional<ScmNamespace> namespace(String name);

  Collection<ScmNamespace> namespaces();

  /** A pod's metadata and spec as template data. */
  Optional<ScmPod> scmPod(PodKey key);

  /** A node's metadata and spec as template data. */
  Optional<ScmNode> scmNode(String name);

  /** Pods of a namespace. */
  Collection<PodView> podsIn(String namespace);
}
