package org.spireoperator.tenancy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Tenant confinement: the one property the operator promises about namespaced input.
 *
 * <p><b>With confinement on, an object in a non-privileged namespace N can only ever cause entries
 * that (a) select only workloads of N, (b) carry a SPIFFE ID inside N's part of the trust domain,
 * (c) are delivered only to agents of this cluster's nodes, (d) are neither admin nor downstream,
 * (e) claim no DNS name that belongs to another namespace or outside the cluster; and it can never
 * change or delete an entry it does not own.</b> Objects in {@code privilegedNamespaces} are exempt
 * from (a)-(e); with {@code confine} off, only the trust domain is checked.
 *
 * <p>This class checks entries, not specs: every entry computed from something a tenant can write
 * (a SpiffeID, a pod's labels, annotations, names or service account, EndpointSlices) passes
 * through {@link #check} before it is written. Ownership (the last clause) is not decided here but
 * by the entry ID mark ({@code registration.EntryIds}) and the owner rules ({@code
 * reconcile.Ownership}), which never read anything a tenant writes.
 *
 * <ul>
 *   <li>(a) the entry has the selector {@code k8s:ns:N}, no other {@code k8s:ns} selector and no
 *       node attestor selector ({@code k8s_psat:}/{@code k8s_sat:}); or, for an entry the operator
 *       derived from one pod, only that pod's own selectors (the caller vouches for them).
 *   <li>(b) the SPIFFE ID lies strictly below {@link SpiffeIdPath#rootOf} N, and neither equals nor
 *       lies below {@code /spire}, this operator's own prefix ({@code /<controller_name>}) or a
 *       reserved ID.
 *   <li>(c) the parent is a node entry of this cluster, an agent of this cluster, or an allowed
 *       parent.
 *   <li>(d) {@code admin} and {@code downstream} are false.
 *   <li>(e) every DNS name ends with {@code .N.svc}, {@code .N.svc.<zone>}, {@code .N.pod}, {@code
 *       .N.pod.<zone>} or an allowed suffix, or is a name the caller vouches for (a pod's own
 *       name).
 * </ul>
 */
public record TenantConfinement(
    String trustDomain,
    boolean confine,
    Set<String> privilegedNamespaces,
    SpiffeIdPath path,
    Set<SpiffeId> reservedIds,
    Set<SpiffeId> allowedParents,
    Set<String> allowedDnsSuffixes,
    String clusterDnsZone) {

  public TenantConfinement {
    Objects.requireNonNull(trustDomain, "trustDomain");
    privilegedNamespaces = Set.copyOf(privilegedNamespaces);
    Objects.requireNonNull(path, "path");
    reservedIds = Set.copyOf(reservedIds);
    allowedParents = Set.copyOf(allowedParents);
    allowedDnsSuffixes =
        allowedDnsSuffixes.stream()
            .map(s -> s.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    Objects.requireNonNull(clusterDnsZone, "clusterDnsZone");
  }

  /** Confinement on, nothing privileged or reserved beyond the built-in rules. */
  public static TenantConfinement defaults(String trustDomain) {
    return new TenantConfinement(
        trustDomain,
        true,
        Set.of(),
        SpiffeIdPath.DEFAULT,
        Set.of(),
        Set.of(),
        Set.of(),
        "cluster.local");
  }

  /** True if objects of {@code namespace} are confined ((a) to (e) apply). */
  public boolean confines(String namespace) {
    return confine && (namespace == null || !privilegedNamespaces.contains(namespace));
  }

  /** What the cluster tells the checks: this cluster's node entry and agent ID roots. */
  public record Parents(Set<SpiffeId> nodeEntryIds, Predicate<SpiffeId> clusterAgent) {

    /**
     * Accepts every parent: for judging entries that already exist, whose parent rule depends on
     * the node set of the moment (a node that went away takes its node entry with it, and an entry
     * under a missing parent reaches no agent).
     */
    public static final Parents ANY = new Parents(Set.of(), id -> true);

    public Parents {
      nodeEntryIds = Set.copyOf(nodeEntryIds);
      Objects.requireNonNull(clusterAgent, "clusterAgent");
    }
  }

  /**
   * Every rule an entry caused by an object of {@code namespace} breaks, first the most telling.
   * Empty when the entry may be written.
   *
   * @param operatorIdRoot {@code spiffe://<td>/<controller_name>}: IDs below it are reserved
   * @param vouched what the caller computed itself from one pod (its selectors, its own name)
   */
  public List<Violation> check(
      String namespace, Entry entry, SpiffeId operatorIdRoot, Parents parents, Vouched vouched) {
    List<Violation> out = new ArrayList<>();
    trustDomain("spiffeId", entry.spiffeId()).ifPresent(out::add);
    trustDomain("parentId", entry.parentId()).ifPresent(out::add);
    if (!confines(namespace)) {
      return out;
    }
    if (!vouched.selectors()) {
      selectors(namespace, entry.selectors()).ifPresent(out::add);
    }
    spiffeId(namespace, entry.spiffeId(), operatorIdRoot).ifPresent(out::add);
    if (!vouched.parent()) {
      parent(entry.parentId(), parents).ifPresent(out::add);
    }
    flags(namespace, entry).ifPresent(out::add);
    dnsNames(namespace, entry.dnsNames(), vouched.ownNames()).ifPresent(out::add);
    return out;
  }

  /**
   * What the caller derived itself from one pod and so need not be checked: its selectors, its
   * parent (the pod's node entry or agent) and DNS names that are the pod's own.
   */
  public record Vouched(boolean selectors, boolean parent, Set<String> ownNames) {
    public static final Vouched NOTHING = new Vouched(false, false, Set.of());

    public Vouched {
      ownNames = Set.copyOf(ownNames);
    }
  }

  /** (b) only: whether {@code id} may be the SPIFFE ID of an entry caused by {@code namespace}. */
  public Optional<Violation> spiffeId(String namespace, SpiffeId id, SpiffeId operatorIdRoot) {
    if (!confines(namespace)) {
      return Optional.empty();
    }
    SpiffeId spire = new SpiffeId(trustDomain, "/spire");
    for (SpiffeId reserved : reservedRoots(spire, operatorIdRoot)) {
      if (id.isUnder(reserved)) {
        return Optional.of(
            new Violation(
                TenantRule.RESERVED_ID,
                "SPIFFE ID "
                    + id
                    + " is reserved ("
                    + (reserved.equals(spire)
                        ? "SPIRE's own IDs lie under " + spire
                        : reserved.equals(operatorIdRoot)
                            ? "this operator's node entries lie under " + operatorIdRoot
                            : "tenant.reserved_ids lists " + reserved)
                    + ")"
                    + advice(namespace)));
      }
    }
    if (!path.contains(trustDomain, namespace, id)) {
      return Optional.of(
          new Violation(
              TenantRule.SPIFFE_ID_PATH,
              "SPIFFE ID "
                  + id
                  + " is outside namespace "
                  + namespace
                  + "'s part of the trust domain"
                  + advice(namespace)
                  + " (or ask for the namespace to be privileged)"));
    }
    return Optional.empty();
  }

  private String advice(String namespace) {
    return path.rootOf(trustDomain, namespace)
        .map(root -> "; use an ID under " + root + "/")
        .orElse("");
  }

  private Collection<SpiffeId> reservedRoots(SpiffeId spire, SpiffeId operatorIdRoot) {
    List<SpiffeId> roots = new ArrayList<>(reservedIds);
    roots.add(0, operatorIdRoot);
    roots.add(0, spire);
    return roots;
  }

  private Optional<Violation> trustDomain(String field, SpiffeId id) {
    if (id.trustDomain().equals(trustDomain)) {
      return Optional.empty();
    }
    return Optional.of(
        new Violation(
            TenantRule.TRUST_DOMAIN,
            field
                + " "
                + id
                + " is in trust domain \""
                + id.trustDomain()
                + "\", but the SPIRE server's trust domain is \""
                + trustDomain
                + "\"; use spiffe://"
                + trustDomain
                + id.path()));
  }

  private static Optional<Violation> selectors(String namespace, Set<Selector> selectors) {
    boolean own = false;
    for (Selector s : selectors) {
      if (s.type().equals("k8s_psat") || s.type().equals("k8s_sat")) {
        return Optional.of(
            new Violation(
                TenantRule.NODE_SELECTORS,
                "selector "
                    + s
                    + " selects SPIRE agents, not workloads; only privileged namespaces may register"
                    + " node entries"));
      }
      if (s.type().equals("k8s") && s.value().startsWith("ns:")) {
        String selected = s.value().substring(3);
        if (!selected.equals(namespace)) {
          return Optional.of(
              new Violation(
                  TenantRule.NAMESPACE,
                  "selector "
                      + s
                      + " selects namespace \""
                      + selected
                      + "\", but an object may only select workloads of its own namespace \""
                      + namespace
                      + "\""));
        }
        own = true;
      }
    }
    if (!own) {
      return Optional.of(
          new Violation(
              TenantRule.NAMESPACE,
              "the entry has no selector k8s:ns:"
                  + namespace
                  + ", so it could select workloads of"
                  + " other namespaces"));
    }
    return Optional.empty();
  }

  private Optional<Violation> parent(SpiffeId parent, Parents parents) {
    if (parents.nodeEntryIds().contains(parent)
        || parents.clusterAgent().test(parent)
        || allowedParents.contains(parent)) {
      return Optional.empty();
    }
    String example =
        parents.nodeEntryIds().stream()
            .sorted()
            .findFirst()
            .map(id -> " (such as " + id + ")")
            .orElse("");
    return Optional.of(
        new Violation(
            TenantRule.PARENT,
            "parent "
                + parent
                + " is neither a node entry of this cluster"
                + example
                + " nor an agent of this cluster nor an allowed parent "
                + allowedParents.stream().map(Object::toString).sorted().toList()
                + "; use the ID of the node entry whose pods should receive the SPIFFE ID"));
  }

  private static Optional<Violation> flags(String namespace, Entry entry) {
    if (!entry.admin() && !entry.downstream()) {
      return Optional.empty();
    }
    return Optional.of(
        new Violation(
            TenantRule.PRIVILEGED_FLAGS,
            (entry.admin() ? "admin" : "downstream")
                + " is true, which only privileged namespaces may ask for (\""
                + namespace
                + "\" is not one)"));
  }

  /** (e) only: the first DNS name that does not belong to {@code namespace}. */
  public Optional<Violation> dnsNames(
      String namespace, Collection<String> names, Set<String> ownNames) {
    if (!confines(namespace)) {
      return Optional.empty();
    }
    for (String name : names) {
      if (!mayClaim(namespace, name, ownNames)) {
        return Optional.of(
            new Violation(
                TenantRule.DNS_NAME,
                "DNS name \""
                    + name
                    + "\" does not belong to namespace "
                    + namespace
                    + "; use a name ending in ."
                    + namespace
                    + ".svc or ."
                    + namespace
                    + ".svc."
                    + clusterDnsZone
                    + (allowedDnsSuffixes.isEmpty()
                        ? ""
                        : " or in one of " + allowedDnsSuffixes.stream().sorted().toList())));
      }
    }
    return Optional.empty();
  }

  /** True if an object of {@code namespace} may put {@code name} in an entry. */
  public boolean mayClaim(String namespace, String name, Set<String> ownNames) {
    if (!confines(namespace) || ownNames.contains(name) || !name.contains(".")) {
      return true;
    }
    String n = name.toLowerCase(Locale.ROOT);
    String ns = "." + namespace.toLowerCase(Locale.ROOT);
    String zone = "." + clusterDnsZone.toLowerCase(Locale.ROOT);
    if (n.endsWith(ns + ".svc")
        || n.endsWith(ns + ".svc" + zone)
        || n.endsWith(ns + ".pod")
        || n.endsWith(ns + ".pod" + zone)) {
      return true;
    }
    return allowedDnsSuffixes.stream().anyMatch(s -> n.endsWith(s) && n.length() > s.length());
  }
}
