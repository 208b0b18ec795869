package org.spireoperator.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;

/**
 * The tenant property, written out again for the tests from the words and not from the
 * product's rules, and checked on the entries the SPIRE server holds: every entry that selects
 * workloads of namespace {@code N} or carries an ID in {@code N}'s part of the trust domain must
 * (a) select only workloads of N, (b) carry an ID strictly below {@code /ns/N/}, (c) be delivered
 * only to agents of this cluster's nodes: parented to a node entry of this cluster or to an agent
 * ID the server mints for this cluster ({@code /spire/agent/k8s_psat/demo/…} or {@code k8s_sat}),
 * (d) be neither admin nor downstream, (e) claim only DNS names ending in {@code .N.svc}, {@code
 * .N.svc.cluster.local}, {@code .N.pod} or {@code .N.pod.cluster.local}, or be single labels (short
 * names).
 */
final class TenantProperty {

  private TenantProperty() {}

  /** Every way {@code entry} breaks the property for namespace {@code ns}; empty if none. */
  static List<String> violations(Entry entry, String ns, Set<String> nodeEntryIds) {
    List<String> out = new ArrayList<>();
    long ownNamespace =
        entry.selectors().stream().filter(s -> s.equals(new Selector("k8s", "ns:" + ns))).count();
    boolean otherNamespace =
        entry.selectors().stream()
            .anyMatch(
                s ->
                    s.type().equals("k8s")
                        && s.value().startsWith("ns:")
                        && !s.value().equals("ns:" + ns));
    boolean agentSelectors =
        entry.selectors().stream()
            .anyMatch(s -> s.type().equals("k8s_psat") || s.type().equals("k8s_sat"));
    if (ownNamespace != 1 || otherNamespace || agentSelectors) {
      out.add("(a) selectors " + entry.selectors());
    }
    if (!entry.spiffeId().trustDomain().equals("example.org")
        || !entry.spiffeId().path().startsWith("/ns/" + ns + "/")) {
      out.add("(b) SPIFFE ID " + entry.spiffeId());
    }
    String parentPath = entry.parentId().path();
    boolean clusterAgent =
        entry.parentId().trustDomain().equals("example.org")
            && (parentPath.startsWith("/spire/agent/k8s_psat/demo/")
                || parentPath.startsWith("/spire/agent/k8s_sat/demo/"));
    if (!nodeEntryIds.contains(entry.parentId().toString()) && !clusterAgent) {
      out.add("(c) parent " + entry.parentId());
    }
    if (entry.admin() || entry.downstream()) {
      out.add("(d) admin/downstream");
    }
    for (String name : entry.dnsNames()) {
      String n = name.toLowerCase();
      if (n.contains(".")
          && !(n.endsWith("." + ns + ".svc")
              || n.endsWith("." + ns + ".svc.cluster.local")
              || n.endsWith("." + ns + ".pod")
              || n.endsWith("." + ns + ".pod.cluster.local"))) {
        out.add("(e) DNS name " + name);
      }
    }
    return out;
  }

  /** True if the entry has anything to do with namespace {@code ns} (selects it or names it). */
  static boolean concerns(Entry entry, String ns) {
    return entry.selectors().stream().anyMatch(s -> s.value().equals("ns:" + ns))
        || entry.spiffeId().path().startsWith("/ns/" + ns + "/");
  }
}
