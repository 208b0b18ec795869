package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.spireoperator.crd.SchemaConformance.generatedCrd;
import static org.spireoperator.crd.SchemaConformance.rootSchema;
import static org.spireoperator.crd.SchemaConformance.violations;
import static org.spireoperator.crd.SchemaConformance.yaml;
import static org.spireoperator.crd.SchemaConformance.yamlResource;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD generated from {@link SpiffeID} (read from the build output, as the cluster receives it).
 */
class SpiffeIDCrdTest {

  /** Every field of the upstream k8s-workload-registrar SpiffeID schema (SPIRE v1.5.6). */
  private static final List<String> UPSTREAM_FIELDS =
      List.of(
          "spec.spiffeId",
          "spec.parentId",
          "spec.selector",
          "spec.dnsNames",
          "spec.federatesWith",
          "spec.downstream",
          "spec.selector.cluster",
          "spec.selector.agent_node_uid",
          "spec.selector.podLabel",
          "spec.selector.podName",
          "spec.selector.podUid",
          "spec.selector.namespace",
          "spec.selector.serviceAccount",
          "spec.selector.containerImage",
          "spec.selector.containerName",
          "spec.selector.nodeName",
          "spec.selector.arbitrary",
          "status.entryId");

  private final CustomResourceDefinition crd = generatedCrd();
  private final CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
  private final JSONSchemaProps root = rootSchema(crd);

  private JSONSchemaProps property(String dottedPath) {
    JSONSchemaProps schema = root;
    for (String name : dottedPath.split("\\.")) {
      assertThat(schema.getProperties()).as("properties holding %s", dottedPath).containsKey(name);
      schema = schema.getProperties().get(name);
    }
    return schema;
  }

  @Test
  void hasTheUpstreamGroupVersionAndNames() {
    assertThat(crd.getMetadata().getName()).isEqualTo("spiffeids.spiffeid.spiffe.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("spiffeid.spiffe.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("SpiffeID");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("spiffeids");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("spiffeid");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("sid");
    assertThat(crd.getSpec().getVersions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo("v1beta1");
              assertThat(v.getServed()).isTrue();
              assertThat(v.getStorage()).isTrue();
            });
  }

  @Test
  void hasTheStatusSubresource() {
    assertThat(version.getSubresources()).isNotNull();
    assertThat(version.getSubresources().getStatus()).isNotNull();
  }

  @Test
  void hasPrinterColumnsForIdParentEntryReadinessAndAge() {
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType)
        .containsExactlyInAnyOrder(
            tuple("SPIFFE ID", ".spec.spiffeId", "string"),
            tuple("Parent", ".spec.parentId", "string"),
            tuple("Entry", ".status.entryId", "string"),
            tuple("Ready", ".status.conditions[?(@.type==\"Ready\")].status", "string"),
            tuple("Age", ".metadata.creationTimestamp", "date"));
  }

  @Test
  void everyFieldHasADescriptionForKubectlExplain() {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented("", root, undocumented);
    assertThat(undocumented).isEmpty();
  }

  private static void collectUndocumented(String path, JSONSchemaProps schema, List<String> out) {
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties != null) {
      properties.forEach(
          (name, child) -> {
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (child.getDescription() == null || child.getDescription().isBlank()) {
              out.add(childPath);
            }
            collectUndocumented(childPath, child, out);
          });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collectUndocumented(path + "[]", schema.getItems().getSchema(), out);
    }
  }

  @Test
  void hasEveryUpstreamField() {
    for (String field : UPSTREAM_FIELDS) {
      property(field);
    }
  }

  @Test
  void requiresOnlyWhatUpstreamRequired() {
    assertThat(property("spec").getRequired())
        .containsExactlyInAnyOrder("spiffeId", "parentId", "selector");
    assertThat(property("spec.selector").getRequired()).isNullOrEmpty();
    assertThat(property("status").getRequired()).isNullOrEmpty();
  }

  @Test
  void podLabelIsAStringMap() {
    JSONSchemaProps podLabel = property("spec.selector.podLabel");
    assertThat(podLabel.getType()).isEqualTo("object");
    assertThat(podLabel.getAdditionalProperties().getSchema().getType()).isEqualTo("string");
  }

  @Test
  void spiffeIdsParentIdsArbitraryItemsAndTrustDomainsArePatternChecked() {
    assertThat(property("spec.spiffeId").getPattern()).isEqualTo(SpiffeIDSpec.SPIFFE_ID_PATTERN);
    assertThat(property("spec.parentId").getPattern()).isEqualTo(SpiffeIDSpec.SPIFFE_ID_PATTERN);
    assertThat(property("spec.selector.arbitrary").getItems().getSchema().getPattern())
        .isEqualTo("^[^:]+:.+$");
    assertThat(property("spec.federatesWith").getItems().getSchema().getPattern())
        .isEqualTo(SpiffeIDSpec.TRUST_DOMAIN_PATTERN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "upstream-sample.yaml",
        "upstream-sample-bad.yaml",
        "upstream-readme-example.yaml",
        "upstream-pod-generated.yaml",
        "upstream-node-generated.yaml",
        "every-upstream-field.yaml",
        "with-extensions.yaml"
      })
  void acceptsManifestsWrittenForUpstreamAndTheAdditions(String manifest) {
    assertThat(violations(yamlResource(manifest), root)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spec: {parentId: 'spiffe://example.org/n', selector: {podName: p}}",
        "spec: {spiffeId: 'https://example.org/x', parentId: 'spiffe://example.org/n', selector: {podName: p}}",
        "spec: {spiffeId: 'spiffe://Example.org/x', parentId: 'spiffe://example.org/n', selector: {podName: p}}",
        "spec: {spiffeId: 'spiffe://example.org/x', parentId: 'spiffe://example.org/n', selector: {arbitrary: [foo]}}",
        "spec: {spiffeId: 'spiffe://example.org/x', parentId: 'spiffe://example.org/n', selector: {podNmae: p}}",
        "spec: {spiffeId: 'spiffe://example.org/x', parentId: 'spiffe://example.org/n', selector: {}, ttl: -1}",
        "spec: {spiffeId: 'spiffe://example.org/x', parentId: 'spiffe://example.org/n', selector: {},"
            + " federatesWith: ['not a domain']}",
        "spec: {spiffeId: 'spiffe://example.org/x', parentId: 'spiffe://example.org/n', selector: {},"
            + " downstream: 'yes'}"
      })
  void rejectsWhatTheSchemaForbids(String document) {
    assertThat(violations(yaml(document), root)).isNotEmpty();
  }
}
