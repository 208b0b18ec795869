package org.spireoperator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spireoperator.registration.PodView;

/**
 * The pod cache keeps what any entry, template, selector or agent lookup reads, and drops the rest.
 * The fixture is a Deployment's pod as the API server returns it: managed fields, kubectl's
 * last-applied annotation, volumes, env, probes, conditions, container statuses.
 */
class PodPruningTest {

  private static final Pod FULL = load("/pods/deployment-pod.json");
  private static final Pod PRUNED = PodPruning.prune(FULL);

  private static Pod load(String resource) {
    try (InputStream in = PodPruningTest.class.getResourceAsStream(resource)) {
      return Serialization.unmarshal(in, Pod.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(Pod pod) {
    return Serialization.jsonMapper().valueToTree(pod);
  }

  @Test
  void thePodTheEngineSeesIsUnchanged() {
    assertThat(PodView.of(PRUNED)).isEqualTo(PodView.of(FULL));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/apiVersion",
        "/kind",
        "/metadata/name",
        "/metadata/generateName",
        "/metadata/namespace",
        "/metadata/uid",
        "/metadata/resourceVersion",
        "/metadata/creationTimestamp",
        "/metadata/labels",
        "/metadata/annotations/spiffe.io~1spiffe-id",
        "/metadata/annotations/prometheus.io~1scrape",
        "/metadata/ownerReferences",
        "/spec/nodeName",
        "/spec/serviceAccountName",
        "/spec/serviceAccount",
        "/spec/hostname",
        "/spec/subdomain",
        "/spec/schedulerName",
        "/spec/priority",
        "/spec/restartPolicy",
        "/spec/dnsPolicy",
        "/spec/nodeSelector",
        "/spec/containers/0/name",
        "/spec/containers/0/image",
        "/spec/containers/0/ports",
        "/spec/initContainers/0/name",
        "/spec/initContainers/0/image",
        "/status/phase",
        "/status/podIP",
        "/status/podIPs",
        "/status/hostIP",
        "/status/hostIPs",
        "/status/startTime"
      })
  void aFieldThatIdentitiesAndTemplatesReadIsKept(String pointer) {
    assertThat(json(PRUNED).at(pointer)).isEqualTo(json(FULL).at(pointer));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/metadata/managedFields",
        "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
        "/spec/volumes",
        "/spec/tolerations",
        "/spec/securityContext",
        "/spec/containers/0/env",
        "/spec/containers/0/resources",
        "/spec/containers/0/readinessProbe",
        "/spec/containers/0/volumeMounts",
        "/spec/initContainers/0/command",
        "/status/conditions",
        "/status/containerStatuses",
        "/status/qosClass"
      })
  void aFieldNothingReadsIsDropped(String pointer) {
    assertThat(json(PRUNED).at(pointer).isMissingNode()).isTrue();
  }

  @Test
  void theAgentAccountOfAnAgentPodIsUnchanged() {
    Pod agent =
        new io.fabric8.kubernetes.api.model.PodBuilder(FULL)
            .withMetadata(
                new ObjectMetaBuilder(FULL.getMetadata())
                    .withNamespace("spire")
                    .withLabels(Map.of("app", "spire-agent"))
                    .build())
            .build();
    AgentPodSelector selector = new AgentPodSelector("spire", Map.of("app", "spire-agent"));
    assertThat(selector.accountOf(PodPruning.prune(agent))).isEqualTo(selector.accountOf(agent));
  }

  @Test
  void aPodWithNothingButItsNameIsKeptAsSuch() {
    Pod bare =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("bare")
            .endMetadata()
            .build();
    assertThat(json(PodPruning.prune(bare))).isEqualTo(json(bare));
  }

  @Test
  void theStoreHoldsThePrunedPod() {
    PrunedStore<Pod> store = PrunedStore.pods();
    store.put(store.getKey(FULL), FULL);
    assertThat(json(store.get("shop/web-7d9c8f6b5d-x2k4q"))).isEqualTo(json(PRUNED));
  }
}
