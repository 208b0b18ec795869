package org.spireoperator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePruningTest {

  private static final Node FULL =
      new NodeBuilder()
          .withNewMetadata()
          .withName("node-1")
          .withUid("5b1f0c4e-7a8d-4a57-9a3e-2f1d2b0c9e11")
          .withLabels(Map.of("topology.kubernetes.io/zone", "eu-1a"))
          .withManagedFields(
              new ManagedFieldsEntryBuilder()
                  .withManager("kubelet")
                  .withOperation("Update")
                  .build())
          .endMetadata()
          .withNewSpec()
          .withProviderID("aws:///eu-1a/i-0abc")
          .withPodCIDR("10.0.1.0/24")
          .endSpec()
          .withNewStatus()
          .addNewAddress("10.0.0.5", "InternalIP")
          .withImages(
              new ContainerImageBuilder()
                  .withNames("registry.example/app@sha256:0123", "registry.example/app:1.2")
                  .withSizeBytes(123_456_789L)
                  .build())
          .withVolumesInUse("kubernetes.io/csi/ebs^vol-1")
          .endStatus()
          .build();

  private final Node pruned = NodePruning.prune(FULL);

  @Test
  void theImageListIsDropped() {
    assertThat(pruned.getStatus().getImages()).isEmpty();
  }

  @Test
  void managedFieldsAreDropped() {
    assertThat(pruned.getMetadata().getManagedFields()).isEmpty();
  }

  @Test
  void whatEntriesAndTemplatesReadIsKept() {
    assertThat(
            List.of(
                pruned.getMetadata().getName(),
                pruned.getMetadata().getUid(),
                pruned.getMetadata().getLabels(),
                pruned.getSpec(),
                pruned.getStatus().getAddresses()))
        .containsExactly(
            FULL.getMetadata().getName(),
            FULL.getMetadata().getUid(),
            FULL.getMetadata().getLabels(),
            FULL.getSpec(),
            FULL.getStatus().getAddresses());
  }

  @Test
  void theStoreHoldsThePrunedNode() {
    PrunedStore<Node> store = PrunedStore.nodes();
    store.put(store.getKey(FULL), FULL);
    assertThat(store.get("node-1").getStatus().getImages()).isEmpty();
  }
}
