package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

class TenantRulesTest {

  private static final SpiffeId SERVER = SpiffeId.server(Specs.TD);
  private static final Set<SpiffeId> NODES = Set.of(SpiffeId.parse(Specs.NODE_ID));
  private static final TenantRules CONFINED =
      new TenantRules(Specs.TD, Set.of(SERVER), Set.of("spire"), true);
  private static final TenantRules OPEN = new TenantRules(Specs.TD, Set.of(), Set.of(), false);

  private static Entry allowed(Admission admission) {
    assertThat(admission).as(admission.message()).isInstanceOf(Admission.Allowed.class);
    return ((Admission.Allowed) admission).entry();
  }

  private static Admission.Forbidden forbidden(Admission admission, TenantRule rule) {
    assertThat(admission).isInstanceOf(Admission.Forbidden.class);
    Admission.Forbidden forbidden = (Admission.Forbidden) admission;
    assertThat(forbidden.rule()).isEqualTo(rule);
    assertThat(forbidden.message()).isNotBlank().doesNotContain("\n");
    return forbidden;
  }

  @Nested
  class Always {

    @Test
    void anInvalidSpecIsInvalidWithItsProblems() {
      Admission admission = CONFINED.admit("shop", spec(s -> s.setTtl(-1)), NODES);
      assertThat(admission).isInstanceOf(Admission.Invalid.class);
      assertThat(((Admission.Invalid) admission).problems())
          .extracting(SpecProblem::field)
          .containsExactly("spec.ttl");
      assertThat(admission.message()).startsWith("spec.ttl: must not be negative");
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
                s.setSpiffeId("spiffe://other.org/web");
                s.setParentId("spiffe://other.org/node");
              });
      assertThat(forbidden(OPEN.admit("shop", spec, NODES), TenantRule.TRUST_DOMAIN).message())
          .isEqualTo(
              "spec.spiffeId \"spiffe://other.org/web\" is in trust domain \"other.org\", but the SPIRE "
                  + "server's trust domain is \"example.org\"; use spiffe://example.org/web");
    }

    @Test
    void aSpiffeIdInTheConfiguredTrustDomainPassesTheTrustDomainRule() {
      allowed(OPEN.admit("shop", spec(), NODES));
    }

    @Test
    void anInvalidConfiguredTrustDomainIsRefusedAtConstruction() {
      assertThatThrownBy(() -> new TenantRules("Example.org", Set.of(), Set.of(), true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("trust domain");
    }
  }

  @Nested
  class WithoutConfinement {

    @Test
    void aNamespaceSelectorOfAnotherNamespaceIsAllowed() {
      Entry entry =
          allowed(
              OPEN.admit(
                  "shop",
                  spec(s -> s.setSelector(selector(sel -> sel.setNamespace("bank")))),
                  NODES));
      assertThat(entry.selectors()).containsExactly(Selector.k8s("ns", "bank"));
    }

    @Test
    void noNamespaceSelectorIsAdded() {
      assertThat(allowed(OPEN.admit("shop", spec(), NODES)).selectors())
          .containsExactly(Selector.k8s("sa", "web"));
    }

    @Test
    void anyParentAndPrivilegedFlagsAreAllowed() {
      Entry entry =
          allowed(
              OPEN.admit(
                  "shop",
                  spec(
                      s -> {
                        s.setParentId("spiffe://example.org/anything");
                        s.setAdmin(true);
                        s.setDownstream(true);
                      }),
                  Set.of()));
      assertThat(entry.admin()).isTrue();
      assertThat(entry.downstream()).isTrue();
    }
  }

  @Nested
  class NamespaceRule {

    @Test
    void withoutNamespaceSelectorTheSpiffeIdsNamespaceIsAdded() {
      Entry entry = allowed(CONFINED.admit(resource("shop", spec()), NODES));
      assertThat(entry.selectors())
          .containsExactly(Selector.k8s("ns", "shop"), Selector.k8s("sa", "web"));
    }

    @Test
    void aNamespaceSelectorOfTheOwnNamespaceIsAllowed() {
      Entry entry =
          allowed(
              CONFINED.admit(
                  "shop",
                  spec(s -> s.setSelector(selector(sel -> sel.setNamespace("shop")))),
                  NODES));
      assertThat(entry.selectors()).containsExactly(Selector.k8s("ns", "shop"));
    }

    @Test
    void aNamespaceSelectorOfAnotherNamespaceIsForbidden() {
      SpiffeIDSpec spec = spec(s -> s.setSelector(selector(sel -> sel.setNamespace("bank"))));
      assertThat(forbidden(CONFINED.admit("shop", spec, NODES), TenantRule.NAMESPACE).message())
          .isEqualTo(
              "spec.selector.namespace selects namespace \"bank\", but a SpiffeID may only select pods of "
                  + "its own namespace \"shop\"; set it to \"shop\" or leave it out");
    }

    @Test
    void anArbitraryNamespaceSelectorOfAnotherNamespaceIsForbidden() {
      SpiffeIDSpec spec =
          spec(s -> s.setSelector(selector(sel -> sel.setArbitrary(List.of("sa:web", "ns:bank")))));
      assertThat(forbidden(CONFINED.admit("shop", spec, NODES), TenantRule.NAMESPACE).message())
          .startsWith("spec.selector.arbitrary[1] selects namespace \"bank\"");
    }

    @Test
    void anArbitraryNamespaceSelectorOfTheOwnNamespaceIsAllowed() {
      SpiffeIDSpec spec =
          spec(s -> s.setSelector(selector(sel -> sel.setArbitrary(List.of("ns:shop")))));
      assertThat(allowed(CONFINED.admit("shop", spec, NODES)).selectors())
          .containsExactly(Selector.k8s("ns", "shop"));
    }

    @Test
    void aSpiffeIdWithoutNamespaceIsForbidden() {
      SpiffeID resource = resource(null, spec());
      resource.setMetadata(null);
      assertThat(forbidden(CONFINED.admit(resource, NODES), TenantRule.NAMESPACE).message())
          .contains("no metadata.namespace");
    }
  }

  @Nested
  class NodeSelectorRule {

    private final SpiffeIDSpec nodeSpec =
        spec(
            s -> {
              s.setSpiffeId("spiffe://example.org/k8s-workload-registrar/demo/node/worker-1");
              s.setParentId(SERVER.toString());
              s.setSelector(
                  selector(
                      sel -> {
                        sel.setCluster("demo");
                        sel.setAgentNodeUid("uid-1");
                      }));
            });

    @Test
    void nodeSelectorsInAPrivilegedNamespaceAreAllowedWithoutNamespaceSelector() {
      assertThat(allowed(CONFINED.admit("spire", nodeSpec, NODES)).selectors())
          .containsExactly(
              new Selector("k8s_psat", "agent_node_uid:uid-1"),
              new Selector("k8s_psat", "cluster:demo"));
    }

    @Test
    void nodeSelectorsElsewhereAreForbidden() {
      assertThat(
              forbidden(CONFINED.admit("shop", nodeSpec, NODES), TenantRule.NODE_SELECTORS)
                  .message())
          .startsWith("spec.selector.cluster and spec.selector.agent_node_uid select SPIRE agents")
          .contains("[spire]");
    }
  }

  @Nested
  class PrivilegedFlagsRule {

    @Test
    void downstreamOutsidePrivilegedNamespacesIsForbidden() {
      assertThat(
              forbidden(
                      CONFINED.admit("shop", spec(s -> s.setDownstream(true)), NODES),
                      TenantRule.PRIVILEGED_FLAGS)
                  .message())
          .startsWith("spec.downstream is true");
    }

    @Test
    void adminOutsidePrivilegedNamespacesIsForbidden() {
      assertThat(
              forbidden(
                      CONFINED.admit("shop", spec(s -> s.setAdmin(true)), NODES),
                      TenantRule.PRIVILEGED_FLAGS)
                  .message())
          .startsWith("spec.admin is true");
    }

    @Test
    void explicitlyFalseFlagsAreAllowedAnywhere() {
      allowed(
          CONFINED.admit(
              "shop",
              spec(
                  s -> {
                    s.setAdmin(false);
                    s.setDownstream(false);
                  }),
              NODES));
    }

    @Test
    void downstreamAndAdminInAPrivilegedNamespaceAreAllowed() {
      Entry entry =
          allowed(
              CONFINED.admit(
                  "spire",
                  spec(
                      s -> {
                        s.setAdmin(true);
                        s.setDownstream(true);
                      }),
                  NODES));
      assertThat(entry.admin()).isTrue();
      assertThat(entry.downstream()).isTrue();
    }
  }

  @Nested
  class ParentRule {

    @Test
    void aNodeEntryOfThisClusterIsAnAllowedParent() {
      allowed(CONFINED.admit("shop", spec(), NODES));
    }

    @Test
    void aConfiguredAllowedParentIsAllowed() {
      allowed(CONFINED.admit("shop", spec(s -> s.setParentId(SERVER.toString())), Set.of()));
    }

    @Test
    void anyOtherParentIsForbiddenNamingAKnownNode() {
      SpiffeIDSpec spec = spec(s -> s.setParentId("spiffe://example.org/somewhere/else"));
      assertThat(forbidden(CONFINED.admit("shop", spec, NODES), TenantRule.PARENT).message())
          .startsWith(
              "spec.parentId \"spiffe://example.org/somewhere/else\" is neither a node entry of this cluster "
                  + "(such as "
                  + Specs.NODE_ID
                  + ") nor an allowed parent [spiffe://example.org/spire/server]");
    }

    @Test
    void withoutKnownNodesOnlyAllowedParentsPass() {
      forbidden(CONFINED.admit("shop", spec(), null), TenantRule.PARENT);
    }
  }

  @Test
  void ruleReasonsAreCamelCaseConditionReasons() {
    for (TenantRule rule : TenantRule.values()) {
      assertThat(rule.reason()).matches("[A-Z][A-Za-z]+");
    }
  }
}
