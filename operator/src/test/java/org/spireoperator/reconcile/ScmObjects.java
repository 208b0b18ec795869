package org.spireoperator.reconcile;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.spireoperator.registration.RegistrationSettings;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.crd.ClusterStaticEntrySpec;
import org.spireoperator.scm.entries.ClassRule;
import org.spireoperator.scm.entries.IgnoredNamespaces;
import org.spireoperator.scm.entries.ParentRule;
import org.spireoperator.scm.entries.ScmFixtures;
import org.spireoperator.scm.entries.ScmIntegration;
import org.spireoperator.scm.entries.ScmNamespace;
import org.spireoperator.scm.entries.ScmSettings;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.testing.InMemoryCluster;
import org.spireoperator.testing.OperatorFixture;

/**
 * spire-controller-manager's objects for the reconcile specifications: ClusterSPIFFEIDs and
 * ClusterStaticEntries created at a given second (the older wins masking), namespaces as its
 * selectors see them, and the settings that serve its API ({@code kube-system} ignored, pod entries
 * under their node's {@code k8s_psat} agent, the registrar's pod entries as a fallback).
 */
final class ScmObjects {

  static final String SA_TEMPLATE = ScmFixtures.SA_TEMPLATE;

  private ScmObjects() {}

  /** The API served for classless objects. */
  static ScmIntegration served() {
    return OperatorFixture.clusterSpiffeIds(ScmIntegration.RegistrarPods.FALLBACK);
  }

  /** The API served for the objects {@code classRule} handles. */
  static ScmIntegration served(ClassRule classRule) {
    return new ScmIntegration(
        true,
        new ScmSettings(
            OperatorFixture.TRUST_DOMAIN,
            OperatorFixture.CLUSTER,
            "cluster.local",
            classRule,
            IgnoredNamespaces.of(List.of("kube-system")).orElseThrow()),
        ScmIntegration.Parent.AGENT_BY_NODE_UID,
        ScmIntegration.RegistrarPods.FALLBACK);
  }

  /** The decisions the engine makes over {@code cluster} with {@code scm}, tenants unconfined. */
  static ScmDecisions decisions(ScmIntegration scm, InMemoryCluster cluster) {
    RegistrationSettings settings = OperatorFixture.unconfined().withScm(scm);
    return new ScmDecisions(
        scm, cluster, ParentRule.scmDefault(), settings.tenant(), settings.operatorIdRoot());
  }

  /** The {@code k8s_psat} agent of a node of {@link InMemoryCluster}: pod entries' parent. */
  static SpiffeId agentOf(String node) {
    return SpiffeId.parse(
        "spiffe://example.org/spire/agent/k8s_psat/demo/" + InMemoryCluster.nodeUid(node));
  }

  /** A ClusterSPIFFEID created {@code createdSecond} seconds after 2024-01-01T00:00:00Z. */
  static ClusterSPIFFEID clusterSpiffeId(
      String name, long createdSecond, Consumer<ClusterSPIFFEIDSpec> settings) {
    return ScmFixtures.clusterSpiffeId(name, createdSecond, settings);
  }

  /** A ClusterStaticEntry created {@code createdSecond} seconds after 2024-01-01T00:00:00Z. */
  static ClusterStaticEntry staticEntry(
      String name, long createdSecond, Consumer<ClusterStaticEntrySpec> settings) {
    return ScmFixtures.staticEntry(name, createdSecond, settings);
  }

  /** A ClusterStaticEntry declaring {@code spiffeId} under {@code parent} for a pod's UID. */
  static ClusterStaticEntry staticEntryForPod(
      String name, long createdSecond, String spiffeId, SpiffeId parent, String podUid) {
    return staticEntry(
        name,
        createdSecond,
        s -> {
          s.setSpiffeID(spiffeId);
          s.setParentID(parent.toString());
          s.setSelectors(List.of("k8s:pod-uid:" + podUid));
        });
  }

  /** A namespace with {@code labels} and the name label Kubernetes gives every namespace. */
  static ScmNamespace namespace(String name, Map<String, String> labels) {
    Map<String, String> all = new HashMap<>(labels);
    all.put("kubernetes.io/metadata.name", name);
    return new ScmNamespace(name, all);
  }

  static LabelSelector matchLabels(Map<String, String> labels) {
    return new LabelSelector(null, labels);
  }
}
