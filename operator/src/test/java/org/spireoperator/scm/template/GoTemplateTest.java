package org.spireoperator.scm.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spireoperator.scm.Outcome;

/**
 * Templates render exactly as Go's text/template renders them for spire-controller-manager. The
 * expected texts and errors were produced by Go 1.26 text/template with k8s.io/api v0.34.4 types,
 * executing each template against the same Pod and Node (a throw-away program outside this
 * repository, {@code template.New("t").Parse(...).Execute(...)} on spire-controller-manager's
 * {@code templateData}); they are facts, copied here.
 */
class GoTemplateTest {

  static final String POD =
      "{\"metadata\": {\"name\": \"web-0\", \"namespace\": \"shop\", \"uid\": \"0f8a6c1e-2222-4bd8-8c1f-0e2f7d9a3b11\", \"labels\": {\"app\": \"web\", \"app.kubernetes.io/name\": \"web-app\", \"tier\": \"\"}, \"annotations\": {\"team\": \"blue\"}, \"creationTimestamp\": \"2024-05-06T07:08:09Z\", \"generation\": 3, \"ownerReferences\": [{\"apiVersion\": \"apps/v1\", \"kind\": \"StatefulSet\", \"name\": \"web\", \"uid\": \"9999\", \"controller\": true}]}, \"spec\": {\"serviceAccountName\": \"web-sa\", \"nodeName\": \"node-1\", \"hostname\": \"web-0\", \"subdomain\": \"web\", \"priority\": 10, \"nodeSelector\": {\"disk\": \"ssd\"}, \"containers\": [{\"name\": \"app\", \"image\": \"nginx:1.25\", \"ports\": [{\"containerPort\": 8080, \"protocol\": \"TCP\"}], \"args\": [\"-v\", \"run\"]}, {\"name\": \"sidecar\", \"image\": \"envoy:1.30\"}]}}";
  static final String NODE =
      "{\"metadata\": {\"name\": \"node-1\", \"uid\": \"5e0c9d43-8a7e-4f55-9f0a-6c0de3b1a2f4\", \"labels\": {\"topology.kubernetes.io/zone\": \"eu-1a\"}}, \"spec\": {\"providerID\": \"aws:///eu-1a/i-0123\", \"podCIDR\": \"10.0.1.0/24\", \"podCIDRs\": [\"10.0.1.0/24\"]}}";

  static TemplateData data() {
    JsonNode pod = json(POD);
    JsonNode node = json(NODE);
    return new TemplateData(
        "example.org",
        "demo",
        "cluster.local",
        KubeJson.ofTree(pod.get("metadata")),
        KubeJson.ofTree(pod.get("spec")),
        KubeJson.ofTree(node.get("metadata")),
        KubeJson.ofTree(node.get("spec")));
  }

  static JsonNode json(String text) {
    try {
      return Serialization.jsonMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Outcome<String> render(String source, TemplateData data) {
    return GoTemplate.parse("t", source).flatMap(t -> t.render(data));
  }

  static Stream<Arguments> goRendersThese() {
    return Stream.of(
        Arguments.of(
            "spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}",
            "spiffe://example.org/ns/shop/sa/web-sa"),
        Arguments.of(
            "spiffe://{{ .TrustDomain }}/{{ index .PodMeta.Labels \"app.kubernetes.io/name\" }}",
            "spiffe://example.org/web-app"),
        Arguments.of(
            "{{ .PodMeta.Name }}.{{ .PodMeta.Namespace }}.{{ .ClusterDomain }}",
            "web-0.shop.cluster.local"),
        Arguments.of(
            "spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}",
            "spiffe://example.org/spire/agent/k8s_psat/demo/5e0c9d43-8a7e-4f55-9f0a-6c0de3b1a2f4"),
        Arguments.of("{{ .PodMeta.Labels.app }}", "web"),
        Arguments.of("{{ .PodMeta.Labels.missing }}", "<no value>"),
        Arguments.of("{{ index .PodMeta.Labels \"missing\" }}", ""),
        Arguments.of("{{ .PodMeta.Labels.tier }}", ""),
        Arguments.of("{{ .PodMeta.Annotations.missing }}", "<no value>"),
        Arguments.of("{{ .PodMeta.Labels }}", "map[app:web app.kubernetes.io/name:web-app tier:]"),
        Arguments.of("{{ .PodMeta.Finalizers }}", "[]"),
        Arguments.of("{{ .PodSpec.NodeSelector }}", "map[disk:ssd]"),
        Arguments.of("{{ .PodMeta.UID }}", "0f8a6c1e-2222-4bd8-8c1f-0e2f7d9a3b11"),
        Arguments.of("{{ .PodMeta.Generation }}", "3"),
        Arguments.of("{{ .PodSpec.Priority }}", "10"),
        Arguments.of("{{ .PodSpec.HostNetwork }}", "false"),
        Arguments.of("{{ .PodSpec.ActiveDeadlineSeconds }}", "<nil>"),
        Arguments.of("{{ .PodSpec.RuntimeClassName }}", "<nil>"),
        Arguments.of("{{ .PodMeta.CreationTimestamp }}", "2024-05-06 07:08:09 +0000 UTC"),
        Arguments.of("{{ .PodMeta.DeletionTimestamp }}", "<nil>"),
        Arguments.of("{{ (index .PodSpec.Containers 0).Image }}", "nginx:1.25"),
        Arguments.of("{{ (index .PodSpec.Containers 1).Name }}", "sidecar"),
        Arguments.of("{{ (index (index .PodSpec.Containers 0).Ports 0).ContainerPort }}", "8080"),
        Arguments.of("{{ (index .PodSpec.Containers 0).Args }}", "[-v run]"),
        Arguments.of("{{ index .NodeSpec.PodCIDRs 0 }}", "10.0.1.0/24"),
        Arguments.of("{{ .NodeSpec.ProviderID }}", "aws:///eu-1a/i-0123"),
        Arguments.of("{{ index .NodeMeta.Labels \"topology.kubernetes.io/zone\" }}", "eu-1a"),
        Arguments.of(
            "{{ (index .PodMeta.OwnerReferences 0).Kind }}/{{ (index .PodMeta.OwnerReferences 0).Name }}",
            "StatefulSet/web"),
        Arguments.of("{{ printf \"%s/%s\" .PodMeta.Namespace .PodMeta.Name }}", "shop/web-0"),
        Arguments.of("{{ printf \"%d\" .PodMeta.Generation }}", "3"),
        Arguments.of("{{ printf \"%v-%v\" .PodMeta.Name .PodSpec.HostNetwork }}", "web-0-false"),
        Arguments.of("{{ printf \"%d\" .PodMeta.Name }}", "%!d(string=web-0)"),
        Arguments.of("{{ printf \"%s\" .PodMeta.Generation }}", "%!s(int64=3)"),
        Arguments.of("{{ printf \"%s %s\" .PodMeta.Name }}", "web-0 %!s(MISSING)"),
        Arguments.of(
            "{{ printf \"%s\" .PodMeta.Name .PodMeta.Namespace }}", "web-0%!(EXTRA string=shop)"),
        Arguments.of("{{ printf \"%s\" .PodMeta.Labels.missing }}", "%!s(<nil>)"),
        Arguments.of("{{ printf \"%v\" .PodMeta.Labels.missing }}", "<nil>"),
        Arguments.of("{{ printf \"100%%\" }}", "100%"),
        Arguments.of("{{ printf \"%s\" .PodMeta.UID }}", "0f8a6c1e-2222-4bd8-8c1f-0e2f7d9a3b11"),
        Arguments.of(
            "{{ printf \"%d\" .PodMeta.UID }}",
            "%!d(types.UID=0f8a6c1e-2222-4bd8-8c1f-0e2f7d9a3b11)"),
        Arguments.of("{{ printf \"x%\" }}", "x%!(NOVERB)"),
        Arguments.of("{{ .PodMeta.Name | printf \"%s-suffix\" }}", "web-0-suffix"),
        Arguments.of("{{ .PodMeta.Namespace | printf \"%s.%s\" .PodMeta.Name }}", "web-0.shop"),
        Arguments.of("{{ print .PodMeta.Name \"-\" .PodMeta.Namespace }}", "web-0-shop"),
        Arguments.of("{{ print 1 2 \"a\" 3 4 }}", "1 2a3 4"),
        Arguments.of("{{ println .PodMeta.Name }}", "web-0\n"),
        Arguments.of("{{ len .PodMeta.Labels }}", "3"),
        Arguments.of("{{ len .PodSpec.Containers }}", "2"),
        Arguments.of("{{ len .PodMeta.Name }}", "5"),
        Arguments.of("{{ index .PodMeta.Name 0 }}", "119"),
        Arguments.of("{{- .PodMeta.Name -}}", "web-0"),
        Arguments.of("a  {{- .PodMeta.Name -}}  b", "aweb-0b"),
        Arguments.of("a {{/* a comment */}} b", "a  b"),
        Arguments.of("a {{- /* a comment */ -}} b", "ab"),
        Arguments.of("{{ \"literal\" }}", "literal"),
        Arguments.of("{{ `raw\\n` }}", "raw\\n"),
        Arguments.of("{{ \"esc\\t\\x41\\u00e9\" }}", "esc\tAé"),
        Arguments.of("{{ 42 }}", "42"),
        Arguments.of("{{ 0x1F }}", "31"),
        Arguments.of("{{ 017 }}", "15"),
        Arguments.of("{{ 'a' }}", "97"),
        Arguments.of("{{ true }}", "true"),
        Arguments.of("{{ $.TrustDomain }}", "example.org"),
        Arguments.of("{{ .PodMeta.Labels.missing.Foo }}", "<no value>"),
        Arguments.of("{{ .PodSpec.Affinity }}", "nil"),
        Arguments.of("a\n  {{- .PodMeta.Name }}\nb", "aweb-0\nb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goRendersThese")
  @DisplayName("renders what Go renders")
  void rendersWhatGoRenders(String template, String goOutput) {
    assertThat(render(template, data())).isEqualTo(Outcome.ok(goOutput));
  }

  /** Go's error text for each; ours names the same problem in its own words. */
  static Stream<Arguments> goFailsThese() {
    return Stream.of(
        Arguments.of(
            "{{ index .PodSpec.Containers 2 }}",
            "template: t:1:3: executing \"t\" at <index .PodSpec.Containers 2>: error calling index: reflect: slice index out of range"),
        Arguments.of(
            "{{ .PodMeta.Foo }}",
            "template: t:1:11: executing \"t\" at <.PodMeta.Foo>: can't evaluate field Foo in type *v1.ObjectMeta"),
        Arguments.of(
            "{{ .PodMeta.Name.Foo }}",
            "template: t:1:11: executing \"t\" at <.PodMeta.Name.Foo>: can't evaluate field Foo in type string"),
        Arguments.of(
            "{{ .PodSpec.Containers.Foo }}",
            "template: t:1:11: executing \"t\" at <.PodSpec.Containers.Foo>: can't evaluate field Foo in type []v1.Container"),
        Arguments.of(
            "{{ .PodMeta.Labels.app.Foo }}",
            "template: t:1:11: executing \"t\" at <.PodMeta.Labels.app.Foo>: can't evaluate field Foo in type string"),
        Arguments.of(
            "{{ index .PodMeta.Labels 1 }}",
            "template: t:1:3: executing \"t\" at <index .PodMeta.Labels 1>: error calling index: value has type int; should be string"),
        Arguments.of(
            "{{ index .PodMeta.Labels .PodMeta.UID }}",
            "template: t:1:3: executing \"t\" at <index .PodMeta.Labels .PodMeta.UID>: error calling index: value has type types.UID; should be string"),
        Arguments.of(
            "{{ index .PodSpec.Containers \"a\" }}",
            "template: t:1:3: executing \"t\" at <index .PodSpec.Containers \"a\">: error calling index: cannot index slice/array with type string"),
        Arguments.of(
            "{{ index .PodMeta 1 }}",
            "template: t:1:3: executing \"t\" at <index .PodMeta 1>: error calling index: can't index item of type v1.ObjectMeta"),
        Arguments.of(
            "{{ index .PodMeta.Labels.missing \"a\" }}",
            "template: t:1:3: executing \"t\" at <index .PodMeta.Labels.missing \"a\">: error calling index: index of untyped nil"),
        Arguments.of(
            "{{ .PodMeta.Name \"x\" }}",
            "template: t:1:11: executing \"t\" at <.PodMeta.Name>: Name has arguments but cannot be invoked as function"),
        Arguments.of("{{ foo .PodMeta.Name }}", "template: t:1: function \"foo\" not defined"),
        Arguments.of(
            "{{ len }}",
            "template: t:1:3: executing \"t\" at <len>: wrong number of args for len: want 1 got 0"),
        Arguments.of("{{ .PodMeta.Name", "template: t:1: unclosed action"),
        Arguments.of("{{ \"unterminated }}", "template: t:1: unterminated quoted string"),
        Arguments.of("{{ }}", "template: t:1: missing value for command"),
        Arguments.of(
            "{{ .PodMeta.Name | \"x\" }}",
            "template: t:1: non executable command in pipeline stage 2"),
        Arguments.of(
            "{{ nil }}", "template: t:1:3: executing \"t\" at <nil>: nil is not a command"),
        Arguments.of(
            "{{ printf }}",
            "template: t:1:3: executing \"t\" at <printf>: wrong number of args for printf: want at least 1 got 0"),
        Arguments.of(
            "{{ printf 3 }}", "template: t:1:10: executing \"t\" at <3>: expected string; found 3"),
        Arguments.of(
            "{{ (printf \"%s\" .PodMeta.Name).Foo }}",
            "template: t:1:24: executing \"t\" at <.PodMeta.Name>: can't evaluate field Foo in type string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goFailsThese")
  @DisplayName("fails where Go fails, with a message naming the template")
  void failsWhereGoFails(String template, String goError) {
    Outcome<String> outcome = render(template, data());

    assertThat(outcome.failure()).as("Go: %s", goError).isNotNull().startsWith("template \"t\": ");
  }

  static Stream<Arguments> withoutPodGoRenders() {
    return Stream.of(
        Arguments.of(
            "spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}",
            "spiffe://example.org/spire/agent/k8s_psat/demo/5e0c9d43-8a7e-4f55-9f0a-6c0de3b1a2f4"),
        Arguments.of("{{ .PodMeta }}", "nil"),
        Arguments.of("{{ printf \"%s\" .PodMeta }}", "nil"),
        Arguments.of("{{ printf \"%v\" .PodSpec }}", "nil"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutPodGoRenders")
  @DisplayName("renders the parent template's data (no pod) as Go does")
  void rendersWithoutPodAsGo(String template, String goOutput) {
    assertThat(render(template, data().withoutPod())).isEqualTo(Outcome.ok(goOutput));
  }

  static Stream<Arguments> withoutPodGoFails() {
    return Stream.of(
        Arguments.of(
            "{{ .PodMeta.Name }}",
            "template: t:1:11: executing \"t\" at <.PodMeta.Name>: nil pointer evaluating *v1.ObjectMeta.Name"),
        Arguments.of(
            "{{ .PodMeta.Foo }}",
            "template: t:1:11: executing \"t\" at <.PodMeta.Foo>: can't evaluate field Foo in type *v1.ObjectMeta"),
        Arguments.of(
            "{{ index .PodMeta.Labels \"a\" }}",
            "template: t:1:17: executing \"t\" at <.PodMeta.Labels>: nil pointer evaluating *v1.ObjectMeta.Labels"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutPodGoFails")
  @DisplayName("fails on a nil pod where Go fails")
  void failsWithoutPodAsGo(String template, String goError) {
    assertThat(render(template, data().withoutPod()).failure()).as("Go: %s", goError).isNotNull();
  }

  @Test
  void aFieldOfANilPointerNamesThePointerTypeAndField() {
    assertThat(render("{{ .PodMeta.Name }}", data().withoutPod()).failure())
        .isEqualTo(
            "template \"t\": executing {{ .PodMeta.Name }}: cannot read field Name of a nil "
                + "*v1.ObjectMeta");
  }

  @Test
  void anUnknownFieldNamesTheFieldAndTheGoType() {
    assertThat(render("{{ .PodMeta.Foo }}", data()).failure())
        .isEqualTo(
            "template \"t\": executing {{ .PodMeta.Foo }}: type *v1.ObjectMeta has no field "
                + "Foo");
  }
}
