package org.spireoperator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.spireoperator.crd.SpiffeIdRules;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.TenantConfinement;

/**
 * The SpiffeID validating webhook refuses at apply time what the controller would mark Forbidden.
 */
class SpiffeIdAdmissionTest {

  private static final String NODE = "spiffe://example.org/spire-k8s-registrar/demo/node/node-1";

  private final SpiffeIdAdmission admission =
      new SpiffeIdAdmission(
          new SpiffeIdRules(
              TenantConfinement.defaults("example.org"),
              SpiffeId.parse("spiffe://example.org/spire-k8s-registrar")),
          () -> new TenantConfinement.Parents(Set.of(SpiffeId.parse(NODE)), id -> false),
          () -> true);

  private static AdmissionRequest create(String namespace, String selectorNamespace) {
    Map<String, Object> object =
        Map.of(
            "apiVersion",
            "spiffeid.spiffe.io/v1beta1",
            "kind",
            "SpiffeID",
            "metadata",
            Map.of("name", "x", "namespace", namespace),
            "spec",
            Map.of(
                "spiffeId",
                "spiffe://example.org/ns/shop/x",
                "parentId",
                NODE,
                "selector",
                Map.of("namespace", selectorNamespace)));
    AdmissionRequest r = new AdmissionRequest();
    r.setOperation("CREATE");
    r.setNamespace(namespace);
    r.setObject(
        new KubernetesSerialization()
            .convertValue(object, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class));
    return r;
  }

  @Test
  void selectingOwnNamespaceIsAllowed() {
    assertThat(admission.deny(create("shop", "shop"))).isNull();
  }

  @Test
  void selectingAnotherNamespaceIsRefusedWithTheRule() {
    assertThat(admission.deny(create("shop", "bank"))).contains("namespace");
  }
}
