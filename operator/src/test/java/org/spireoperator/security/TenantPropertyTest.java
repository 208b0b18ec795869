package org.spireoperator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDSelector;
import org.spireoperator.crd.SpiffeIDSpec;
import org.spireoperator.spire.Entry;
import org.spireoperator.testing.OperatorFixture;

/**
 * The tenant property, as a property: whatever SpiffeIDs a tenant of namespace {@code shop} writes
 * (random specs, biased towards what an attacker would try), every entry on the SPIRE server that
 * is not a node entry satisfies {@link TenantProperty} for {@code shop}: checked on the server's
 * entries after the operator has judged every object.
 */
class TenantPropertyTest {

  private static final String TD = "spiffe://example.org";
  private static final String NODE_1 = TD + "/spire-k8s-registrar/demo/node/node-1";
  private static final String NODE_2 = TD + "/spire-k8s-registrar/demo/node/node-2";

  private OperatorFixture f;

  @BeforeTry
  void setUp() throws Exception {
    f = new OperatorFixture();
    f.cluster().crd("spiffeids.spiffeid.spiffe.io-v1.yml");
    f.cluster().node("node-1");
    f.cluster().node("node-2");
    f.start(OperatorFixture.defaults());
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
  }

  @AfterTry
  void tearDown() {
    f.close();
  }

  @Property(tries = 4)
  void everyEntryAHostileTenantCausesStaysWithinItsNamespace(
      @ForAll("tenantSpecs") List<SpiffeIDSpec> specs) {
    List<SpiffeIDSpec> all = new ArrayList<>(specs);
    all.add(0, allowedSpec());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      SpiffeID resource = new SpiffeID();
      resource.setMetadata(
          new ObjectMetaBuilder().withNamespace("shop").withName("t-" + i).build());
      resource.setSpec(all.get(i));
      f.cluster().client().resource(resource).create();
      names.add("t-" + i);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> names.stream().allMatch(this::judged));
    f.awaitIdle();
    assertThat(f.entry(TD + "/ns/shop/sa/control")).as("the allowed control spec").isPresent();
    List<String> broken = new ArrayList<>();
    for (Entry e : f.entries()) {
      boolean nodeEntry =
          e.parentId().toString().equals(TD + "/spire/server")
              && e.spiffeId().path().startsWith("/spire-k8s-registrar/demo/node/")
              && e.selectors().stream().allMatch(sel -> sel.type().equals("k8s_psat"));
      if (!nodeEntry) {
        TenantProperty.violations(e, "shop", Set.of(NODE_1, NODE_2))
            .forEach(v -> broken.add(e.spiffeId() + ": " + v));
      }
    }
    assertThat(broken).isEmpty();
  }

  /** One spec the tenant may have, so a run that writes nothing at all cannot pass. */
  private SpiffeIDSpec allowedSpec() {
    SpiffeIDSpec s = new SpiffeIDSpec();
    s.setSpiffeId(TD + "/ns/shop/sa/control");
    s.setParentId(NODE_1);
    SpiffeIDSelector sel = new SpiffeIDSelector();
    sel.setServiceAccount("control");
    s.setSelector(sel);
    return s;
  }

  private boolean judged(String name) {
    SpiffeID s =
        f.cluster().client().resources(SpiffeID.class).inNamespace("shop").withName(name).get();
    return s != null && s.getStatus() != null && s.getStatus().getConditions() != null;
  }

  @Provide
  Arbitrary<List<SpiffeIDSpec>> tenantSpecs() {
    return spec().list().ofMinSize(10).ofMaxSize(25);
  }

  private Arbitrary<SpiffeIDSpec> spec() {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.of(
                TD + "/ns/shop/sa/web",
                TD + "/ns/shop/api/v1",
                TD + "/ns/bank/sa/teller",
                TD + "/ns/shopping/sa/web",
                TD + "/ns/shop",
                TD + "/ns/spire/sa/spire-k8s-registrar",
                TD + "/spire/agent/k8s_psat/demo/node-2",
                NODE_2,
                TD + "/spire-k8s-registrar/demo/node/node-1/x",
                TD + "/web",
                "spiffe://other.org/ns/shop/sa/web"),
            Arbitraries.of(
                NODE_1,
                NODE_2,
                TD + "/spire/server",
                TD + "/spire/agent/k8s_psat/demo/uid-1",
                TD + "/ns/shop/sa/web",
                TD + "/anything"),
            selector(),
            Arbitraries.of(
                List.<String>of(),
                List.of("web.shop.svc"),
                List.of("kubernetes.default.svc"),
                List.of("*.svc.cluster.local"),
                List.of("teller.bank.svc.cluster.local"),
                List.of("example.com"),
                List.of("web", "web.shop.svc.cluster.local")),
            Arbitraries.of(false, false, true),
            Arbitraries.of(false, false, true))
        .as(
            (spiffeId, parentId, selector, dns, admin, downstream) -> {
              SpiffeIDSpec s = new SpiffeIDSpec();
              s.setSpiffeId(spiffeId);
              s.setParentId(parentId);
              s.setSelector(selector);
              s.setDnsNames(dns.isEmpty() ? null : dns);
              s.setAdmin(admin);
              s.setDownstream(downstream);
              return s;
            });
  }

  private Arbitrary<SpiffeIDSelector> selector() {
    return net.jqwik.api.Combinators.combine(
            Arbitraries.of(null, "shop", "bank", "shopping"),
            Arbitraries.of(null, "web", "api"),
            Arbitraries.of(null, "demo"),
            Arbitraries.of(
                List.<String>of(), List.of("ns:bank"), List.of("sa:web"), List.of("ns:shop")),
            Arbitraries.of(Map.<String, String>of(), Map.of("app", "web")))
        .as(
            (ns, sa, cluster, arbitrary, labels) -> {
              SpiffeIDSelector sel = new SpiffeIDSelector();
              sel.setNamespace(ns);
              sel.setServiceAccount(sa);
              sel.setCluster(cluster);
              sel.setArbitrary(arbitrary.isEmpty() ? null : arbitrary);
              sel.setPodLabel(labels.isEmpty() ? null : labels);
              return sel;
            });
  }
}
