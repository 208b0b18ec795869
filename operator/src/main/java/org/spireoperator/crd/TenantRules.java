package org.spireoperator.crd;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Decides whether a {@link SpiffeID} may be registered, and as which entry. Pure: no I/O, no state;
 * never throws on any resource or spec (nulls included).
 *
 * <p>Always: the spec must be valid ({@link SpiffeIDEntries}), and its SPIFFE ID and parent ID must
 * be in {@code trustDomain} ({@link TenantRule#TRUST_DOMAIN}; the SPIRE server refuses other
 * entries anyway, so this only says it earlier and more clearly).
 *
 * <p>When {@code confine} is set, a SpiffeID is confined to its own namespace, in this order:
 *
 * <ol>
 *   <li>{@link TenantRule#NODE_SELECTORS}: {@code cluster}/{@code agent_node_uid} selectors (node
 *       entries) only in a privileged namespace; such node entries get no namespace selector.
 *   <li>{@link TenantRule#NAMESPACE}: {@code selector.namespace} (and any arbitrary {@code ns:}
 *       item) must be the SpiffeID's namespace; when absent, {@code k8s:ns:<namespace>} is added to
 *       the entry.
 *   <li>{@link TenantRule#PRIVILEGED_FLAGS}: {@code downstream} and {@code admin} only in a
 *       privileged namespace.
 *   <li>{@link TenantRule#PARENT}: {@code parentId} must be one of this cluster's node entry IDs or
 *       an allowed parent.
 * </ol>
 *
 * Without {@code confine} only validity and the trust domain are checked, as upstream without its
 * webhook.
 *
 * @param trustDomain the SPIRE server's trust domain name (e.g. {@code example.org})
 * @param allowedParents parent IDs accepted besides node entries (e.g. {@code
 *     spiffe://example.org/spire/server})
 * @param privilegedNamespaces namespaces whose SpiffeIDs may use node selectors, {@code downstream}
 *     and {@code admin}
 * @param confine whether to confine SpiffeIDs to their namespace
 */
public record TenantRules(
    String trustDomain,
    Set<SpiffeId> allowedParents,
    Set<String> privilegedNamespaces,
    boolean confine) {

  public TenantRules {
    Objects.requireNonNull(trustDomain, "trustDomain");
    String problem = SpiffeId.trustDomainProblem(trustDomain);
    if (problem != null) {
      throw new IllegalArgumentException("invalid configured trust domain: " + problem);
    }
    allowedParents = Set.copyOf(allowedParents == null ? Set.of() : allowedParents);
    privilegedNamespaces =
        Set.copyOf(privilegedNamespaces == null ? Set.of() : privilegedNamespaces);
  }

  /** Decides for {@code resource}, given the IDs of this cluster's node entries. */
  public Admission admit(SpiffeID resource, Set<SpiffeId> nodeEntryIds) {
    if (resource == null) {
      return new Admission.Invalid(List.of(new SpecProblem("spec", "is required")));
    }
    String namespace =
        resource.getMetadata() == null ? null : resource.getMetadata().getNamespace();
    return admit(namespace, resource.getSpec(), nodeEntryIds);
  }

  /**
   * Decides for a SpiffeID in {@code namespace} with {@code spec}, given the IDs of this cluster's
   * node entries.
   */
  public Admission admit(String namespace, SpiffeIDSpec spec, Set<SpiffeId> nodeEntryIds) {
    EntryMapping mapping = SpiffeIDEntries.toEntry(spec);
    if (mapping instanceof EntryMapping.Invalid invalid) {
      return new Admission.Invalid(invalid.problems());
    }
    Entry entry = ((EntryMapping.Valid) mapping).entry();

    Admission.Forbidden trustDomainViolation = trustDomainViolation(entry);
    if (trustDomainViolation != null) {
      return trustDomainViolation;
    }
    if (!confine) {
      return new Admission.Allowed(entry);
    }

    boolean privileged = namespace != null && privilegedNamespaces.contains(namespace);
    boolean nodeEntry = SpiffeIDEntries.hasNodeSelectors(spec.getSelector());
    if (nodeEntry && !privileged) {
      return new Admission.Forbidden(
          TenantRule.NODE_SELECTORS,
          "spec.selector.cluster and "
              + "spec.selector.agent_node_uid select SPIRE agents, not pods, and are allowed only in the privileged "
              + "namespaces "
              + sorted(privilegedNamespaces)
              + "; remove them (select pods with namespace, "
              + "serviceAccount, podLabel...) or create the SpiffeID in a privileged namespace");
    }
    if (!nodeEntry) {
      Admission.Forbidden namespaceViolation = namespaceViolation(namespace, spec.getSelector());
      if (namespaceViolation != null) {
        return namespaceViolation;
      }
      entry = withSelector(entry, Selector.k8s("ns", namespace));
    }
    if (!privileged && (entry.downstream() || entry.admin())) {
      String field = entry.admin() ? "spec.admin" : "spec.downstream";
      return new Admission.Forbidden(
          TenantRule.PRIVILEGED_FLAGS,
          field
              + " is true, which only SpiffeIDs in the "
              + "privileged namespaces "
              + sorted(privilegedNamespaces)
              + " may ask for; set it to false or create "
              + "the SpiffeID in a privileged namespace");
    }
    Set<SpiffeId> nodes = nodeEntryIds == null ? Set.of() : nodeEntryIds;
    if (!nodes.contains(entry.parentId()) && !allowedParents.contains(entry.parentId())) {
      return new Admission.Forbidden(
          TenantRule.PARENT,
          "spec.parentId "
              + SpiffeIDEntries.quote(entry.parentId().toString())
              + " is neither a node entry of this cluster"
              + example(nodes)
              + " nor an allowed parent "
              + sorted(allowedParents)
              + "; use the ID of the node entry whose pods "
              + "should receive the SPIFFE ID, or have it added to the allowed parent IDs");
    }
    return new Admission.Allowed(entry);
  }

  private Admission.Forbidden trustDomainViolation(Entry entry) {
    Admission.Forbidden spiffeIdViolation = trustDomainViolation("spec.spiffeId", entry.spiffeId());
    return spiffeIdViolation != null
        ? spiffeIdViolation
        : trustDomainViolation("spec.parentId", entry.parentId());
  }

  private Admission.Forbidden trustDomainViolation(String field, SpiffeId id) {
    if (id.trustDomain().equals(trustDomain)) {
      return null;
    }
    return new Admission.Forbidden(
        TenantRule.TRUST_DOMAIN,
        field
            + " "
            + SpiffeIDEntries.quote(id.toString())
            + " is in trust domain "
            + SpiffeIDEntries.quote(id.trustDomain())
            + ", but the SPIRE server's trust domain "
            + "is "
            + SpiffeIDEntries.quote(trustDomain)
            + "; use spiffe://"
            + trustDomain
            + id.path());
  }

  private static Admission.Forbidden namespaceViolation(
      String namespace, SpiffeIDSelector selector) {
    if (namespace == null || namespace.isEmpty()) {
      return new Admission.Forbidden(
          TenantRule.NAMESPACE,
          "the SpiffeID has no metadata.namespace, so its pods "
              + "cannot be confined to one; create it in a namespace");
    }
    String selected = selector.getNamespace();
    if (SpiffeIDEntries.isPresent(selected) && !selected.equals(namespace)) {
      return namespaceMismatch("spec.selector.namespace", selected, namespace);
    }
    List<String> arbitrary = selector.getArbitrary() == null ? List.of() : selector.getArbitrary();
    for (int i = 0; i < arbitrary.size(); i++) {
      String item = arbitrary.get(i);
      if (item != null && item.startsWith("ns:") && !item.equals("ns:" + namespace)) {
        return namespaceMismatch(
            "spec.selector.arbitrary[" + i + "]", item.substring(3), namespace);
      }
    }
    return null;
  }

  private static Admission.Forbidden namespaceMismatch(
      String field, String selected, String namespace) {
    return new Admission.Forbidden(
        TenantRule.NAMESPACE,
        field
            + " selects namespace "
            + SpiffeIDEntries.quote(selected)
            + ", but a SpiffeID may only select pods of its own namespace "
            + SpiffeIDEntries.quote(namespace)
            + "; set it to "
            + SpiffeIDEntries.quote(namespace)
            + " or leave it out");
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

  private static String example(Set<SpiffeId> nodes) {
    return nodes.stream()
        .filter(Objects::nonNull)
        .sorted()
        .findFirst()
        .map(id -> " (such as " + id + ")")
        .orElse("");
  }

  private static <T> String sorted(Set<T> values) {
    return values.stream()
        .map(Object::toString)
        .filter(Predicate.not(String::isEmpty))
        .sorted()
        .toList()
        .toString();
  }
}
