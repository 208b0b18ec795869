package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.crd.Specs.withSelector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;

class SelectorMappingTest {

  private static List<String> selectorsOf(Consumer<SpiffeIDSelector> settings) {
    EntryMapping mapping = SpiffeIDEntries.toEntry(withSelector(settings));
    assertThat(mapping.problems()).isEmpty();
    Entry entry = mapping.entryIfValid().orElseThrow();
    return entry.selectors().stream().map(Selector::toString).toList();
  }

  @Test
  void podNameBecomesK8sPodName() {
    assertThat(selectorsOf(s -> s.setPodName("web-0"))).containsExactly("k8s:pod-name:web-0");
  }

  @Test
  void podUidBecomesK8sPodUid() {
    assertThat(selectorsOf(s -> s.setPodUid("1234-abcd"))).containsExactly("k8s:pod-uid:1234-abcd");
  }

  @Test
  void namespaceBecomesK8sNs() {
    assertThat(selectorsOf(s -> s.setNamespace("shop"))).containsExactly("k8s:ns:shop");
  }

  @Test
  void serviceAccountBecomesK8sSa() {
    assertThat(selectorsOf(s -> s.setServiceAccount("web"))).containsExactly("k8s:sa:web");
  }

  @Test
  void containerImageBecomesK8sContainerImage() {
    assertThat(selectorsOf(s -> s.setContainerImage("registry.example/web:1.0")))
        .containsExactly("k8s:container-image:registry.example/web:1.0");
  }

  @Test
  void containerNameBecomesK8sContainerName() {
    assertThat(selectorsOf(s -> s.setContainerName("app")))
        .containsExactly("k8s:container-name:app");
  }

  @Test
  void nodeNameBecomesK8sNodeName() {
    assertThat(selectorsOf(s -> s.setNodeName("worker-1")))
        .containsExactly("k8s:node-name:worker-1");
  }

  @Test
  void clusterBecomesK8sPsatCluster() {
    assertThat(selectorsOf(s -> s.setCluster("demo"))).containsExactly("k8s_psat:cluster:demo");
  }

  @Test
  void agentNodeUidBecomesK8sPsatAgentNodeUid() {
    assertThat(selectorsOf(s -> s.setAgentNodeUid("5e0c-9d43")))
        .containsExactly("k8s_psat:agent_node_uid:5e0c-9d43");
  }

  @Test
  void eachPodLabelBecomesOneK8sPodLabelSelectorOrderedByName() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("tier", "backend");
    labels.put("app", "web");
    assertThat(selectorsOf(s -> s.setPodLabel(labels)))
        .containsExactly("k8s:pod-label:app:web", "k8s:pod-label:tier:backend");
  }

  @Test
  void podLabelWithEmptyValueMatchesTheEmptyValue() {
    assertThat(selectorsOf(s -> s.setPodLabel(Map.of("canary", ""))))
        .containsExactly("k8s:pod-label:canary:");
  }

  @Test
  void arbitraryItemsBecomeK8sSelectorsAsUpstreamDid() {
    assertThat(
            selectorsOf(
                s -> s.setArbitrary(List.of("pod-image-count:1", "pod-owner:ReplicaSet:web"))))
        .containsExactly("k8s:pod-image-count:1", "k8s:pod-owner:ReplicaSet:web");
  }

  @Test
  void emptyStringsCountAsAbsent() {
    assertThat(
            selectorsOf(
                s -> {
                  s.setPodName("");
                  s.setNamespace("");
                  s.setCluster("");
                  s.setServiceAccount("web");
                }))
        .containsExactly("k8s:sa:web");
  }

  @Test
  void theSameSelectorWrittenTwiceIsRegisteredOnce() {
    assertThat(
            selectorsOf(
                s -> {
                  s.setNamespace("shop");
                  s.setArbitrary(List.of("ns:shop"));
                }))
        .containsExactly("k8s:ns:shop");
  }

  @Test
  void allFieldsTogetherGiveOneSelectorEach() {
    assertThat(
            selectorsOf(
                s -> {
                  s.setCluster("demo");
                  s.setAgentNodeUid("uid-1");
                  s.setPodLabel(Map.of("app", "web"));
                  s.setPodName("web-0");
                  s.setPodUid("uid-2");
                  s.setNamespace("shop");
                  s.setServiceAccount("web");
                  s.setContainerImage("img");
                  s.setContainerName("app");
                  s.setNodeName("worker-1");
                  s.setArbitrary(List.of("pod-image-count:1"));
                }))
        .containsExactlyInAnyOrder(
            "k8s_psat:cluster:demo",
            "k8s_psat:agent_node_uid:uid-1",
            "k8s:pod-label:app:web",
            "k8s:pod-name:web-0",
            "k8s:pod-uid:uid-2",
            "k8s:ns:shop",
            "k8s:sa:web",
            "k8s:container-image:img",
            "k8s:container-name:app",
            "k8s:node-name:worker-1",
            "k8s:pod-image-count:1");
  }
}
