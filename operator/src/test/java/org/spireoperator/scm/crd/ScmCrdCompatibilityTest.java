package org.spireoperator.scm.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our generated CRDs are schema-compatible with spire-controller-manager v0.6.4's: same names and
 * scope, and every field of theirs exists in ours with the same type, required fields, enums and
 * patterns. What we add is listed here and nothing else.
 */
class ScmCrdCompatibilityTest {

  /** Where our schemas differ from theirs, on purpose (see crds/README.md). */
  private static final Map<String, Set<String>> ADDITIONS =
      Map.of(
          "clusterspiffeids",
          Set.of(
              "spec.hint: maxLength 1024",
              "spec.namespaceSelector.matchExpressions[].operator: enum",
              "spec.podSelector.matchExpressions[].operator: enum",
              "status.conditions: new field"),
          "clusterstaticentries",
          Set.of("spec.hint: maxLength 1024", "status.conditions: new field"),
          "clusterfederatedtrustdomains",
          Set.of("status.conditions: new field", "status.managedTrustDomain: new field"));

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of("clusterspiffeids", ClusterSPIFFEID.CRD_NAME),
        Arguments.of("clusterstaticentries", ClusterStaticEntry.CRD_NAME),
        Arguments.of("clusterfederatedtrustdomains", ClusterFederatedTrustDomain.CRD_NAME));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  @DisplayName("group, version, kind, plural, singular, scope and status subresource are theirs")
  void namesAndScopeAreTheirs(String plural, String crdName) {
    CustomResourceDefinition theirs = ScmCrds.upstream(plural);
    CustomResourceDefinition ours = ScmCrds.generated(crdName);

    assertThat(ours.getMetadata().getName()).isEqualTo(theirs.getMetadata().getName());
    assertThat(ours.getSpec().getGroup()).isEqualTo(theirs.getSpec().getGroup());
    assertThat(ours.getSpec().getScope()).isEqualTo(theirs.getSpec().getScope());
    assertThat(names(ours)).isEqualTo(names(theirs));
    assertThat(ours.getSpec().getVersions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getName()).isEqualTo("v1alpha1");
              assertThat(v.getServed()).isTrue();
              assertThat(v.getStorage()).isTrue();
              assertThat(v.getSubresources().getStatus()).isNotNull();
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  @DisplayName("every field of theirs has the same type, required fields, enum and pattern in ours")
  void everyFieldOfTheirsIsInOursAlike(String plural, String crdName) {
    JSONSchemaProps theirs = ScmCrds.schema(ScmCrds.upstream(plural));
    JSONSchemaProps ours = ScmCrds.schema(ScmCrds.generated(crdName));
    List<String> differences = new ArrayList<>();
    Set<String> additions = new TreeSet<>();

    for (String top : List.of("spec", "status")) {
      compare(
          top,
          theirs.getProperties().get(top),
          ours.getProperties().get(top),
          differences,
          additions);
    }

    assertThat(differences).isEmpty();
    assertThat(additions).isEqualTo(new TreeSet<>(ADDITIONS.get(plural)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  @DisplayName("spec is required at the root, as in theirs")
  void specIsRequired(String plural, String crdName) {
    assertThat(ScmCrds.schema(ScmCrds.generated(crdName)).getRequired()).contains("spec");
  }

  private static String names(CustomResourceDefinition crd) {
    CustomResourceDefinitionNames n = crd.getSpec().getNames();
    return n.getKind() + "/" + n.getPlural() + "/" + n.getSingular();
  }

  private static void compare(
      String path,
      JSONSchemaProps theirs,
      JSONSchemaProps ours,
      List<String> differences,
      Set<String> additions) {
    if (ours == null) {
      differences.add(path + ": missing");
      return;
    }
    if (!String.valueOf(theirs.getType()).equals(String.valueOf(ours.getType()))) {
      differences.add(path + ": type " + ours.getType() + " instead of " + theirs.getType());
      return;
    }
    if (!set(theirs.getRequired()).equals(set(ours.getRequired()))) {
      differences.add(
          path
              + ": required "
              + set(ours.getRequired())
              + " instead of "
              + set(theirs.getRequired()));
    }
    if (!enumValues(theirs).equals(enumValues(ours))) {
      if (enumValues(theirs).isEmpty()) {
        additions.add(path + ": enum");
      } else {
        differences.add(path + ": enum " + enumValues(ours) + " instead of " + enumValues(theirs));
      }
    }
    if (theirs.getPattern() != null && !theirs.getPattern().equals(ours.getPattern())) {
      differences.add(
          path + ": pattern " + ours.getPattern() + " instead of " + theirs.getPattern());
    }
    if (theirs.getPattern() == null && ours.getPattern() != null) {
      additions.add(path + ": pattern");
    }
    if (ours.getMaxLength() != null && !ours.getMaxLength().equals(theirs.getMaxLength())) {
      additions.add(path + ": maxLength " + ours.getMaxLength());
    }
    if (ours.getMaxItems() != null && !ours.getMaxItems().equals(theirs.getMaxItems())) {
      additions.add(path + ": maxItems " + ours.getMaxItems());
    }
    Map<String, JSONSchemaProps> theirProperties =
        theirs.getProperties() == null ? Map.of() : theirs.getProperties();
    Map<String, JSONSchemaProps> ourProperties =
        ours.getProperties() == null ? Map.of() : ours.getProperties();
    theirProperties.forEach(
        (name, schema) ->
            compare(path + "." + name, schema, ourProperties.get(name), differences, additions));
    ourProperties.keySet().stream()
        .filter(name -> !theirProperties.containsKey(name))
        .forEach(name -> additions.add(path + "." + name + ": new field"));
    if (theirs.getItems() != null) {
      compare(
          path + "[]",
          theirs.getItems().getSchema(),
          ours.getItems() == null ? null : ours.getItems().getSchema(),
          differences,
          additions);
    }
    if (theirs.getAdditionalProperties() != null) {
      if (ours.getAdditionalProperties() == null) {
        differences.add(path + ": additionalProperties missing");
      } else {
        compare(
            path + "{}",
            theirs.getAdditionalProperties().getSchema(),
            ours.getAdditionalProperties().getSchema(),
            differences,
            additions);
      }
    }
  }

  private static Set<String> set(List<String> values) {
    return values == null ? Set.of() : new HashSet<>(values);
  }

  private static Set<String> enumValues(JSONSchemaProps schema) {
    return schema.getEnum() == null
        ? Set.of()
        : schema.getEnum().stream().map(e -> e.asText()).collect(Collectors.toSet());
  }
}
