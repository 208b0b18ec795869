package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spireoperator.registration.PodEntryShape;

/** The keys the operator added for the entry IDs it chooses, pod entry shapes and tenants. */
class NewKeysTest {

  @Test
  void theEntryIdPrefixDefaultsToTheControllerNameAndTheCluster() {
    assertThat(
            Configs.parseWith("controller_name = \"reg\"", "cluster = \"blue\"")
                .identity()
                .entryIdPrefix())
        .isEqualTo("reg.blue.");
  }

  @Test
  void anEntryIdPrefixOf150CharactersIsAccepted() {
    String prefix = "p".repeat(150);

    assertThat(Configs.parseWith("entry_id_prefix = \"" + prefix + "\"").identity().entryIdPrefix())
        .isEqualTo(prefix);
  }

  @Test
  void podEntriesCanSelectByPodUidAlone() {
    assertThat(Configs.parseWith("pod_entry_shape = \"pod_uid\"").identity().podEntryShape())
        .isEqualTo(PodEntryShape.POD_UID);
  }

  @Test
  void thePodUidSelectorStillAppliesToTheUpstreamShape() {
    Identity identity =
        Configs.parseWith("pod_uid_selector = true", "pod_entry_shape = \"upstream\"").identity();

    assertThat(identity.podUidSelector()).isTrue();
  }

  @Test
  void aTenantsIdPathNamesTheNamespaceAsOneSegment() {
    TenantSettings tenant =
        Configs.parseWith("tenant {", "  spiffe_id_path = \"/t/{{.Namespace}}/w/\"", "}").tenant();

    assertThat(tenant.spiffeIdPathOf("shop")).isEqualTo("/t/shop/w/");
  }

  @Test
  void byDefaultATenantsIdsLieUnderNsAndItsNamespace() {
    assertThat(Configs.parse(Configs.MINIMAL).tenant().spiffeIdPathOf("shop"))
        .isEqualTo("/ns/shop/");
  }

  @Test
  void theTrustDomainItselfMayBeReserved() {
    assertThat(
            Configs.parseWith("tenant {", "  reserved_ids = [\"spiffe://example.org\"]", "}")
                .tenant()
                .reservedIds())
        .containsExactly("spiffe://example.org");
  }
}
