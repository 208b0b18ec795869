package org.spireoperator.crd;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.TenantConfinement;
import org.spireoperator.tenancy.TenantRule;
import org.spireoperator.tenancy.Violation;

/**
 * Decides whether a {@link SpiffeID} may be registered, and as which entry. Pure: no I/O, no state;
 * never throws on any resource or spec (nulls included).
 *
 * <p>The spec must be valid ({@link SpiffeIDEntries}); the entry it maps to then gets {@code
 * k8s:ns:<namespace>} when the object is confined and names no namespace (upstream's webhook did
 * the same), and must satisfy {@link TenantConfinement} as a whole: selectors, SPIFFE ID, parent,
 * flags and DNS names are checked on the resulting entry, not on the spec's fields.
 *
 * @param confinement the tenant rules
 * @param operatorIdRoot {@code spiffe://<td>/<controller_name>}, reserved for node entries
 */
public record SpiffeIdRules(TenantConfinement confinement, SpiffeId operatorIdRoot) {

  /** Decides for {@code resource}, given this cluster's node entry IDs and agents. */
  public Admission admit(SpiffeID resource, TenantConfinement.Parents parents) {
    if (resource == null) {
      return new Admission.Invalid(List.of(new SpecProblem("spec", "is required")));
    }
    String namespace =
        resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
    return admit(namespace, resource.getSpec(), parents);
  }

  /** Decides for a SpiffeID in {@code namespace} with {@code spec}. */
  public Admission admit(String namespace, SpiffeIDSpec spec, TenantConfinement.Parents parents) {
    EntryMapping mapping = SpiffeIDEntries.toEntry(spec);
    if (mapping instanceof EntryMapping.Invalid invalid) {
      return new Admission.Invalid(invalid.problems());
    }
    Entry entry = ((EntryMapping.Valid) mapping).entry();
    if (confinement.confines(namespace)) {
      if (namespace == null || namespace.isEmpty()) {
        return new Admission.Invalid(
            List.of(
                new SpecProblem(
                    "metadata.namespace",
                    "is required: a SpiffeID is confined to the workloads of its namespace")));
      }
      if (!SpiffeIDEntries.hasNodeSelectors(spec.getSelector())
          && entry.selectors().stream().noneMatch(SpiffeIdRules::isNamespaceSelector)) {
        entry = withSelector(entry, Selector.k8s("ns", namespace));
      }
    }
    List<Violation> violations =
        confinement.check(
            namespace, entry, operatorIdRoot, parents, TenantConfinement.Vouched.NOTHING);
    if (!violations.isEmpty()) {
      Violation first = violations.get(0);
      return new Admission.Forbidden(first.rule(), field(first.rule()) + ": " + first.message());
    }
    return new Admission.Allowed(entry);
  }

  /** The spec field a broken rule is about, to start the message with. */
  private static String field(TenantRule rule) {
    return switch (rule) {
      case TRUST_DOMAIN -> "spec.spiffeId/spec.parentId";
      case NODE_SELECTORS -> "spec.selector.cluster/agent_node_uid";
      case NAMESPACE -> "spec.selector";
      case SPIFFE_ID_PATH, RESERVED_ID -> "spec.spiffeId";
      case PRIVILEGED_FLAGS -> "spec.admin/spec.downstream";
      case PARENT -> "spec.parentId";
      case DNS_NAME -> "spec.dnsNames";
    };
  }

  private static boolean isNamespaceSelector(Selector s) {
    return s.type().equals("k8s") && s.value().startsWith("ns:");
  }

  private static Entry withSelector(Entry entry, Selector selector) {
    SortedSet<Selector> selectors = new TreeSet<>(entry.selectors());
    selectors.add(selector);
    return new Entry(
        entry.id(),
        entry.spiffeId(),
        entry.parentId(),
        selectors,
        entry.dnsNames(),
        entry.federatesWith(),
        entry.x509SvidTtl(),
        entry.jwtSvidTtl(),
        entry.admin(),
        entry.downstream(),
        entry.hint(),
        entry.storeSvid(),
        entry.expiresAt(),
        entry.revisionNumber(),
        entry.createdAt());
  }
}
