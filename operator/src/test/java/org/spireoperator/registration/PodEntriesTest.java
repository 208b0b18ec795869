package org.spireoperator.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

class PodEntriesTest {

  private static final SpiffeId NODE_1 =
      SpiffeId.parse("spiffe://example.org/spire-k8s-registrar/demo/node/node-1");
  private final RegistrationSettings defaults =
      RegistrationSettings.defaults("example.org", "demo");
  private final RegistrationSettings unconfined =
      defaults.withTenant(
          new org.spireoperator.tenancy.TenantConfinement(
              "example.org",
              false,
              java.util.Set.of(),
              org.spireoperator.tenancy.SpiffeIdPath.DEFAULT,
              java.util.Set.of(),
              java.util.Set.of(),
              java.util.Set.of(),
              "cluster.local"));
  private final PodView pod = Pods.running("shop", "web-0", "node-1");

  private Desired desired(RegistrationSettings s, PodView p) {
    return new PodEntries(s).desired(p, NODE_1, List.of());
  }

  private Entry wanted(RegistrationSettings s, PodView p) {
    return ((Desired.Wanted) desired(s, p)).entry();
  }

  @Test
  void serviceAccountModeGivesUpstreamShape() {
    assertThat(wanted(defaults, pod))
        .isEqualTo(
            Entry.of(
                SpiffeId.parse("spiffe://example.org/ns/shop/sa/sa-web-0"),
                NODE_1,
                List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0"))));
  }

  @Test
  void podUidSelectorIsAddedWhenConfigured() {
    assertThat(wanted(defaults.withPodUidSelector(true), pod).selectors())
        .contains(Selector.parse("k8s:pod-uid:uid-web-0"));
  }

  @Test
  void labelModeUsesTheLabelValueAsPath() {
    var s = unconfined.withIdentity(new PodIdentity.Label("spire-workload"));
    assertThat(wanted(s, Pods.withLabels(pod, Map.of("spire-workload", "frontend"))).spiffeId())
        .hasToString("spiffe://example.org/frontend");
  }

  @Test
  void labelModeSkipsPodsWithoutTheLabel() {
    var s = defaults.withIdentity(new PodIdentity.Label("spire-workload"));
    assertThat(desired(s, pod)).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void aConfinedPodsLabelCannotChooseAnIdOutsideItsNamespace() {
    var s = defaults.withIdentity(new PodIdentity.Label("spire-workload"));
    assertThat(desired(s, Pods.withLabels(pod, Map.of("spire-workload", "bank-teller"))))
        .isInstanceOfSatisfying(
            Desired.Rejected.class, r -> assertThat(r.condition()).isEqualTo("Forbidden"));
  }

  @Test
  void aConfinedPodsAnnotationMayChooseAnIdInsideItsNamespace() {
    var s = defaults.withIdentity(new PodIdentity.Annotation("spiffe.io/spiffe-id"));
    assertThat(
            wanted(s, Pods.withAnnotations(pod, Map.of("spiffe.io/spiffe-id", "ns/shop/web")))
                .spiffeId())
        .hasToString("spiffe://example.org/ns/shop/web");
  }

  @Test
  void annotationModeAcceptsSeveralPathSegments() {
    var s = unconfined.withIdentity(new PodIdentity.Annotation("spiffe.io/spiffe-id"));
    assertThat(
            wanted(s, Pods.withAnnotations(pod, Map.of("spiffe.io/spiffe-id", "production/web")))
                .spiffeId())
        .hasToString("spiffe://example.org/production/web");
  }

  @Test
  void invalidAnnotationValueIsRejectedWithTheReason() {
    var s = defaults.withIdentity(new PodIdentity.Annotation("spiffe.io/spiffe-id"));
    Desired d = desired(s, Pods.withAnnotations(pod, Map.of("spiffe.io/spiffe-id", "bad//path")));
    assertThat(((Desired.Rejected) d).reason())
        .contains("spiffe.io/spiffe-id")
        .contains("empty segment");
  }

  @Test
  void identityTemplateRendersPodFields() {
    var template =
        IdentityTemplate.parse(
            "ns/{{.Pod.Namespace}}/node/{{ .Pod.NodeName }}/{{.Context.env}}",
            Map.of("env", "prod"));
    var s = defaults.withIdentity(new PodIdentity.Template(template, null));
    assertThat(wanted(s, pod).spiffeId())
        .hasToString("spiffe://example.org/ns/shop/node/node-1/prod");
  }

  @Test
  void identityTemplateLabelLimitsTemplateToLabelledPods() {
    var template =
        IdentityTemplate.parse("ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}", Map.of());
    var s = defaults.withIdentity(new PodIdentity.Template(template, "spiffe.io/enabled"));
    assertThat(desired(s, pod)).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void disabledNamespacesGetNoEntry() {
    assertThat(desired(defaults, Pods.running("kube-system", "coredns", "node-1")))
        .isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void unscheduledPodsGetNoEntry() {
    assertThat(desired(defaults, Pods.running("shop", "web-0", "")))
        .isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void terminatedPodsGetNoEntry() {
    assertThat(desired(defaults, Pods.withPhase(pod, "Succeeded")))
        .isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void podBeingDeletedGetsNoEntryAsUpstream() {
    PodView deleting =
        new PodView(
            pod.namespace(),
            pod.name(),
            pod.uid(),
            pod.serviceAccount(),
            pod.nodeName(),
            pod.hostname(),
            pod.phase(),
            pod.podIp(),
            pod.labels(),
            pod.annotations(),
            pod.containerImages(),
            true);
    assertThat(desired(defaults, deleting)).isInstanceOf(Desired.Unwanted.class);
  }

  @Test
  void federatesWithAnnotationBecomesFederatedTrustDomains() {
    var p = Pods.withAnnotations(pod, Map.of("spiffe.io/federatesWith", "a.org, b.org"));
    assertThat(wanted(defaults, p).federatesWith()).containsExactly("a.org", "b.org");
  }

  @Test
  void invalidFederatedTrustDomainIsRejected() {
    var p = Pods.withAnnotations(pod, Map.of("spiffe.io/federatesWith", "Not A Domain"));
    assertThat(desired(defaults, p)).isInstanceOf(Desired.Rejected.class);
  }

  @Test
  void dnsNamesFollowUpstreamOrder() {
    var s = defaults.withDnsNames(true, "cluster.local");
    var endpoints = List.of(new ServiceEndpoint("web", "shop", "", "10.0.0.7", "web-0"));
    Entry e = ((Desired.Wanted) new PodEntries(s).desired(pod, NODE_1, endpoints)).entry();
    assertThat(e.dnsNames())
        .startsWith("10-0-0-7.shop.pod.cluster.local", "10-0-0-7.shop.pod")
        .contains("web.shop.svc.cluster.local", "web-0.web.shop.svc", "10-0-0-7.web.shop", "web");
  }

  @Test
  void crdModeDnsNamesAreTheRenderedTemplatesThenServiceNames() {
    var s =
        defaults.withCrdDnsNames(
            new RegistrationSettings.CrdDnsNames(
                List.of(IdentityTemplate.parse("{{.Pod.Name}}", Map.of())), true));
    var endpoints = List.of(new ServiceEndpoint("web", "shop", "", "10.0.0.7", "web-0"));
    Entry e = ((Desired.Wanted) new PodEntries(s).desired(pod, NODE_1, endpoints)).entry();
    assertThat(e.dnsNames()).containsExactly("web-0", "web.shop.svc");
  }

  @Test
  void entryUnderSpireIsRejected() {
    var s = defaults.withIdentity(new PodIdentity.Label("id"));
    assertThat(desired(s, Pods.withLabels(pod, Map.of("id", "spire"))))
        .isInstanceOf(Desired.Rejected.class);
  }

  @Test
  void ownsEntriesWithPodSelectorShapeUnderOurNodes() {
    Entry e =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/x"),
            NODE_1,
            List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0")));
    assertThat(PodEntries.ownerOf(e, NODE_1::equals)).contains(new PodKey("shop", "web-0"));
  }

  @Test
  void doesNotOwnEntriesWithOtherSelectors() {
    Entry e =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/custom"),
            NODE_1,
            List.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-label:app:web")));
    assertThat(PodEntries.ownerOf(e, NODE_1::equals)).isEqualTo(Optional.empty());
  }

  @Test
  void doesNotOwnEntriesUnderForeignParents() {
    Entry e =
        Entry.of(
            SpiffeId.parse("spiffe://example.org/ns/shop/sa/x"),
            SpiffeId.parse("spiffe://example.org/x"),
            Set.of(Selector.parse("k8s:ns:shop"), Selector.parse("k8s:pod-name:web-0")));
    assertThat(PodEntries.ownerOf(e, NODE_1::equals)).isEqualTo(Optional.empty());
  }
}
