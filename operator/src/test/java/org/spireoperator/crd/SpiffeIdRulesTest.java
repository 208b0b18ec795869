package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spireoperator.crd.Specs.resource;
import static org.spireoperator.crd.Specs.selector;
import static org.spireoperator.crd.Specs.spec;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.SpiffeIdPath;
import org.spireoperator.tenancy.TenantConfinement;
import org.spireoperator.tenancy.TenantRule;

/** Which SpiffeID specs may be registered, and as which entry (checked on the entry). */
class SpiffeIdRulesTest {

  private static final SpiffeId SERVER = SpiffeId.server(Specs.TD);
  private static final SpiffeId OPERATOR_ROOT =
      SpiffeId.parse("spiffe://example.org/spire-k8s-registrar");
  private static final TenantConfinement.Parents NODES =
      new TenantConfinement.Parents(
          Set.of(SpiffeId.parse(Specs.NODE_ID)),
          id -> id.path().startsWith("/spire/agent/k8s_psat/demo/"));
  private static final TenantConfinement.Parents NO_NODES =
      new TenantConfinement.Parents(Set.of(), id -> false);

  private static TenantConfinement confinement(boolean confine, Set<SpiffeId> allowedParents) {
    return new TenantConfinement(
        Specs.TD,
        confine,
        Set.of("spire"),
        SpiffeIdPath.DEFAULT,
        Set.of(SpiffeId.parse("spiffe://example.org/ns/shop/sa/reserved")),
        allowedParents,
        Set.of(".shop.example.com"),
        "cluster.local");
  }

  private static final SpiffeIdRules CONFINED =
      new SpiffeIdRules(confinement(true, Set.of(SERVER)), OPERATOR_ROOT);
  private static final SpiffeIdRules OPEN =
      new SpiffeIdRules(confinement(false, Set.of()), OPERATOR_ROOT);

  private static Entry allowed(Admission admission) {
    assertThat(admission).as(admission.message()).isInstanceOf(Admission.Allowed.class);
    return ((Admission.Allowed) admission).entry();
  }

  private static TenantRule rule(Admission admission) {
    assertThat(admission).as(admission.message()).isInstanceOf(Admission.Forbidden.class);
    return ((Admission.Forbidden) admission).rule();
  }

  @Nested
  class Always {

    @Test
    void anInvalidSpecIsInvalidWithItsProblems() {
      Admission admission = CONFINED.admit("shop", spec(s -> s.setTtl(-1)), NODES);
      assertThat(((Admission.Invalid) admission).problems())
          .extracting(SpecProblem::field)
          .containsExactly("spec.ttl");
    }

    @Test
    void aMissingResourceIsInvalid() {
      assertThat(CONFINED.admit(null, NODES)).isInstanceOf(Admission.Invalid.class);
    }

    @Test
    void aSpiffeIdInAnotherTrustDomainIsForbiddenEvenWithoutConfinement() {
      SpiffeIDSpec spec =
          spec(
              s -> {
                s.setSpiffeId("spiffe://other.org/ns/shop/web");
                s.setParentId("spiffe://other.org/node");
              });
      assertThat(rule(OPEN.admit("shop", spec, NODES))).isEqualTo(TenantRule.TRUST_DOMAIN);
    }

    @Test
    void forbiddenMessagesNameTheSpecField() {
      Admission admission =
          CONFINED.admit("shop", spec(s -> s.setSpiffeId("spiffe://example.org/web")), NODES);
      assertThat(admission.message())
          .startsWith("spec.spiffeId: SPIFFE ID spiffe://example.org/web");
    }
  }

  @Nested
  class WithoutConfinement {

    @Test
    void anythingInTheTrustDomainIsAllowedAsWritten() {
      Entry entry =
          allowed(
              OPEN.admit(
                  "shop",
                  spec(
                      s -> {
                        s.setSpiffeId("spiffe://example.org/anything");
                        s.setParentId("spiffe://example.org/anywhere");
                        s.setAdmin(true);
                        s.setSelector(selector(sel -> sel.setNamespace("bank")));
                      }),
                  NO_NODES));
      assertThat(entry.selectors()).containsExactly(Selector.k8s("ns", "bank"));
    }
  }

  @Nested
  class Selectors {

    @Test
    void withoutNamespaceSelectorTheSpiffeIdsNamespaceIsAdded() {
      Entry entry = allowed(CONFINED.admit(resource("shop", spec()), NODES));
      assertThat(entry.selectors())
          .containsExactly(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web"));
    }

    @Test
    void aNamespaceSelectorOfAnotherNamespaceIsForbidden() {
      SpiffeIDSpec spec = spec(s -> s.setSelector(selector(sel -> sel.setNamespace("bank"))));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.NAMESPACE);
    }

    @Test
    void anArbitraryNamespaceSelectorOfAnotherNamespaceIsForbidden() {
      SpiffeIDSpec spec =
          spec(s -> s.setSelector(selector(sel -> sel.setArbitrary(List.of("sa:web", "ns:bank")))));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.NAMESPACE);
    }

    @Test
    void nodeSelectorsOutsidePrivilegedNamespacesAreForbidden() {
      SpiffeIDSpec spec = spec(s -> s.setSelector(selector(sel -> sel.setCluster("demo"))));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.NODE_SELECTORS);
    }

    @Test
    void nodeSelectorsInAPrivilegedNamespaceGetNoNamespaceSelector() {
      SpiffeIDSpec spec =
          spec(
              s -> {
                s.setSpiffeId("spiffe://example.org/k8s-workload-registrar/demo/node/worker-1");
                s.setParentId(SERVER.toString());
                s.setSelector(selector(sel -> sel.setCluster("demo")));
              });
      assertThat(allowed(CONFINED.admit("spire", spec, NODES)).selectors())
          .containsExactly(new Selector("k8s_psat", "cluster:demo"));
    }
  }

  @Nested
  class SpiffeIds {

    @Test
    void anIdUnderTheNamespacesPathIsAllowed() {
      allowed(CONFINED.admit("shop", spec(), NODES));
    }

    @Test
    void anotherNamespacesIdIsForbidden() {
      SpiffeIDSpec spec = spec(s -> s.setSpiffeId("spiffe://example.org/ns/bank/sa/teller"));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.SPIFFE_ID_PATH);
    }

    @Test
    void aSiblingPrefixNamespacesIdIsForbidden() {
      SpiffeIDSpec spec = spec(s -> s.setSpiffeId("spiffe://example.org/ns/shopping/sa/web"));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.SPIFFE_ID_PATH);
    }

    @Test
    void theNamespaceRootItselfIsForbidden() {
      SpiffeIDSpec spec = spec(s -> s.setSpiffeId("spiffe://example.org/ns/shop"));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.SPIFFE_ID_PATH);
    }

    @Test
    void anIdUnderSpireIsRefused() {
      SpiffeIDSpec spec = spec(s -> s.setSpiffeId("spiffe://example.org/spire/agent/x"));
      assertThat(CONFINED.admit("shop", spec, NODES)).isNotInstanceOf(Admission.Allowed.class);
    }

    @Test
    void anIdUnderTheOperatorsNodeRootIsReserved() {
      SpiffeIDSpec spec =
          spec(s -> s.setSpiffeId("spiffe://example.org/spire-k8s-registrar/demo/node/node-2"));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.RESERVED_ID);
    }

    @Test
    void aConfiguredReservedIdIsReservedEvenInsideTheNamespace() {
      SpiffeIDSpec spec = spec(s -> s.setSpiffeId("spiffe://example.org/ns/shop/sa/reserved/x"));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.RESERVED_ID);
    }

    @Test
    void aPrivilegedNamespaceMayUseAnyIdOutsideSpire() {
      allowed(CONFINED.admit("spire", spec(s -> s.setSpiffeId("spiffe://example.org/web")), NODES));
    }
  }

  @Nested
  class Parents {

    @Test
    void aNodeEntryOfThisClusterIsAnAllowedParent() {
      allowed(CONFINED.admit("shop", spec(), NODES));
    }

    @Test
    void anAgentOfThisClusterIsAnAllowedParent() {
      allowed(
          CONFINED.admit(
              "shop",
              spec(s -> s.setParentId("spiffe://example.org/spire/agent/k8s_psat/demo/uid-1")),
              NODES));
    }

    @Test
    void aConfiguredAllowedParentIsAllowed() {
      allowed(CONFINED.admit("shop", spec(s -> s.setParentId(SERVER.toString())), NO_NODES));
    }

    @Test
    void anyOtherParentIsForbidden() {
      SpiffeIDSpec spec = spec(s -> s.setParentId("spiffe://example.org/somewhere/else"));
      assertThat(rule(CONFINED.admit("shop", spec, NODES))).isEqualTo(TenantRule.PARENT);
    }

    @Test
    void withoutKnownNodesANodeEntryParentIsForbidden() {
      assertThat(rule(CONFINED.admit("shop", spec(), NO_NODES))).isEqualTo(TenantRule.PARENT);
    }
  }

  @Nested
  class Flags {

    @Test
    void downstreamOutsidePrivilegedNamespacesIsForbidden() {
      assertThat(rule(CONFINED.admit("shop", spec(s -> s.setDownstream(true)), NODES)))
          .isEqualTo(TenantRule.PRIVILEGED_FLAGS);
    }

    @Test
    void adminOutsidePrivilegedNamespacesIsForbidden() {
      assertThat(rule(CONFINED.admit("shop", spec(s -> s.setAdmin(true)), NODES)))
          .isEqualTo(TenantRule.PRIVILEGED_FLAGS);
    }

    @Test
    void adminInAPrivilegedNamespaceIsAllowed() {
      assertThat(allowed(CONFINED.admit("spire", spec(s -> s.setAdmin(true)), NODES)).admin())
          .isTrue();
    }
  }

  @Nested
  class DnsNameSyntax {

    @Test
    void namesOfTheNamespacesServicesAreAllowed() {
      allowed(
          CONFINED.admit(
              "shop",
              spec(s -> s.setDnsNames(List.of("web.shop.svc", "*.shop.svc.cluster.local"))),
              NODES));
    }

    @Test
    void theKubernetesApiNameIsForbidden() {
      assertThat(
              rule(
                  CONFINED.admit(
                      "shop", spec(s -> s.setDnsNames(List.of("kubernetes.default.svc"))), NODES)))
          .isEqualTo(TenantRule.DNS_NAME);
    }

    @Test
    void anotherNamespacesServiceNameIsForbidden() {
      assertThat(
              rule(
                  CONFINED.admit(
                      "shop", spec(s -> s.setDnsNames(List.of("teller.bank.svc"))), NODES)))
          .isEqualTo(TenantRule.DNS_NAME);
    }

    @Test
    void anOutsideNameIsForbidden() {
      assertThat(
              rule(CONFINED.admit("shop", spec(s -> s.setDnsNames(List.of("example.com"))), NODES)))
          .isEqualTo(TenantRule.DNS_NAME);
    }

    @Test
    void aShortNameIsAllowed() {
      allowed(CONFINED.admit("shop", spec(s -> s.setDnsNames(List.of("web-0"))), NODES));
    }

    @Test
    void aNameUnderAnAllowedSuffixIsAllowed() {
      allowed(
          CONFINED.admit("shop", spec(s -> s.setDnsNames(List.of("api.shop.example.com"))), NODES));
    }
  }

  @Test
  void ruleReasonsAreCamelCaseConditionReasons() {
    for (TenantRule rule : TenantRule.values()) {
      assertThat(rule.reason()).matches("[A-Z][A-Za-z]+");
    }
  }
}
