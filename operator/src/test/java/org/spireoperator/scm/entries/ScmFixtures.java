package org.spireoperator.scm.entries;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.crd.ClusterStaticEntrySpec;

/** Test fixtures: pods, nodes, namespaces and spire-controller-manager objects. */
/** Test objects of spire-controller-manager's API, shared by the rendering and the engine tests. */
public final class ScmFixtures {

  static final String TD = "example.org";
  public static final String SA_TEMPLATE =
      "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}";
  static final ScmSettings SETTINGS =
      new ScmSettings(TD, "demo", "cluster.local", ClassRule.classless(), IgnoredNamespaces.NONE);

  private ScmFixtures() {}

  static ScmNode node(String name) {
    return ScmNode.of(
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withUid("uid-" + name)
            .withLabels(Map.of("kubernetes.io/hostname", name))
            .endMetadata()
            .withNewSpec()
            .withProviderID("aws:///eu-1a/" + name)
            .endSpec()
            .build());
  }

  static ScmPod pod(String namespace, String name, Map<String, String> labels) {
    return pod(namespace, name, labels, "node-1");
  }

  static ScmPod pod(String namespace, String name, Map<String, String> labels, String nodeName) {
    return ScmPod.of(
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .withUid("uid-" + namespace + "-" + name)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(name + "-sa")
            .withNodeName(nodeName)
            .addNewContainer()
            .withName("app")
            .withImage("registry.example/" + name + ":1")
            .endContainer()
            .endSpec()
            .build());
  }

  static ScmNamespace namespace(String name, Map<String, String> labels) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put("kubernetes.io/metadata.name", name);
    return new ScmNamespace(name, all);
  }

  /** A ClusterSPIFFEID created {@code secondsAfterEpoch} after 2024-01-01T00:00:00Z. */
  public static ClusterSPIFFEID clusterSpiffeId(
      String name, long createdSecond, Consumer<ClusterSPIFFEIDSpec> settings) {
    ClusterSPIFFEID c = new ClusterSPIFFEID();
    c.setMetadata(meta(name, createdSecond));
    ClusterSPIFFEIDSpec spec = new ClusterSPIFFEIDSpec();
    spec.setSpiffeIDTemplate(SA_TEMPLATE);
    settings.accept(spec);
    c.setSpec(spec);
    return c;
  }

  public static ClusterStaticEntry staticEntry(
      String name, long createdSecond, Consumer<ClusterStaticEntrySpec> settings) {
    ClusterStaticEntry s = new ClusterStaticEntry();
    s.setMetadata(meta(name, createdSecond));
    ClusterStaticEntrySpec spec = new ClusterStaticEntrySpec();
    settings.accept(spec);
    s.setSpec(spec);
    return s;
  }

  static LabelSelector matchLabels(Map<String, String> labels) {
    return new LabelSelector(null, labels);
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name, long createdSecond) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withUid(UUID.nameUUIDFromBytes(name.getBytes()).toString())
        .withCreationTimestamp(
            Instant.parse("2024-01-01T00:00:00Z").plusSeconds(createdSecond).toString())
        .build();
  }

  static ScmRendering.Inputs inputs(
      List<ClusterSPIFFEID> ids,
      List<ClusterStaticEntry> statics,
      List<ScmNamespace> namespaces,
      List<ScmPod> pods) {
    return new ScmRendering.Inputs(
        SETTINGS,
        ParentRule.scmDefault(),
        ids,
        statics,
        namespaces,
        pods,
        Map.of("node-1", node("node-1"), "node-2", node("node-2")),
        p -> java.util.Set.of());
  }
}
