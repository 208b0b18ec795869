package org.spireoperator.registration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.tenancy.TenantConfinement;
import org.spireoperator.tenancy.Violation;

/**
 * Pod entries: one per scheduled, running Pod outside the disabled namespaces, selecting the pod by
 * namespace and name (or by UID, per {@link PodEntryShape}), with the SPIFFE ID its {@link
 * PodIdentity} derives. A pod is tenant input (its labels, annotations, name, service account and
 * the EndpointSlices that name it): in a confined namespace the derived SPIFFE ID must lie in the
 * namespace's part of the trust domain and template-rendered DNS names must belong to it ({@link
 * TenantConfinement}). Also the shape-based ownership rule for entries upstream's registrar wrote.
 */
public final class PodEntries {

  private final RegistrationSettings settings;
  private final PodDnsNames dnsNames;

  public PodEntries(RegistrationSettings settings) {
    this.settings = settings;
    this.dnsNames = new PodDnsNames(settings.clusterDnsZone());
  }

  /**
   * The entry the pod should have, parented to {@code parent} (its node entry, or its node's
   * agent).
   *
   * @param endpoints the pod's Service endpoints, used only when DNS names are enabled
   */
  public Desired desired(PodView pod, SpiffeId parent, Collection<ServiceEndpoint> endpoints) {
    if (settings.disabledNamespaces().contains(pod.namespace())) {
      return new Desired.Unwanted("namespace " + pod.namespace() + " is disabled");
    }
    if (!pod.isScheduled()) {
      return new Desired.Unwanted("pod is not scheduled to a node yet");
    }
    if (pod.terminating()) {
      return new Desired.Unwanted("pod is being deleted");
    }
    if (pod.isTerminated()) {
      return new Desired.Unwanted("pod has terminated (" + pod.phase() + ")");
    }
    if (settings.shape() == PodEntryShape.POD_UID && pod.uid().isEmpty()) {
      return new Desired.Unwanted("pod has no UID yet");
    }
    PodIdentity.Derived derived = settings.identity().derive(pod, settings.trustDomain());
    if (derived instanceof PodIdentity.None none) {
      return new Desired.Unwanted(none.reason());
    }
    if (derived instanceof PodIdentity.Invalid invalid) {
      return new Desired.Rejected(invalid.reason());
    }
    SpiffeId spiffeId = ((PodIdentity.Id) derived).spiffeId();
    if (spiffeId.path().equals("/spire") || spiffeId.path().startsWith("/spire/")) {
      return new Desired.Rejected(
          "SPIFFE ID " + spiffeId + " lies under /spire, which SPIRE reserves for itself");
    }
    Optional<Violation> outside = idViolation(pod.namespace(), spiffeId);
    if (outside.isPresent()) {
      return new Desired.Rejected(
          outside.get().message()
              + "; no entry is created or changed for it (an entry the pod already has is kept"
              + " until the pod goes)",
          "Forbidden",
          e -> true);
    }
    Federation.TrustDomains federation = Federation.of(pod.annotations());
    if (federation.problem() != null) {
      return new Desired.Rejected(federation.problem());
    }
    Entry entry =
        Entry.of(spiffeId, parent, selectorsFor(pod)).withFederatesWith(federation.names());
    if (settings.addPodDnsNames()) {
      entry = entry.withDnsNames(dnsNames.forPod(pod, endpoints));
    } else if (settings.crdDnsNames() != null) {
      List<String> names = new ArrayList<>();
      for (IdentityTemplate t : settings.crdDnsNames().templates()) {
        IdentityTemplate.Rendered r = t.render(pod);
        if (r.problem() != null) {
          return new Desired.Rejected("dns name template " + t.source() + ": " + r.problem());
        }
        if (!r.text().isEmpty() && !names.contains(r.text())) {
          names.add(r.text());
        }
      }
      Optional<Violation> dns = templatedNameViolation(pod, names);
      if (dns.isPresent()) {
        return new Desired.Rejected(
            "dns_name_templates: " + dns.get().message(), "Forbidden", e -> true);
      }
      if (settings.crdDnsNames().serviceNames()) {
        endpoints.stream()
            .map(e -> e.service() + "." + e.namespace() + ".svc")
            .distinct()
            .sorted()
            .filter(n -> !names.contains(n))
            .forEach(names::add);
      }
      entry = entry.withDnsNames(names);
    }
    return new Desired.Wanted(entry);
  }

  private Optional<Violation> idViolation(String namespace, SpiffeId id) {
    return settings.tenant().spiffeId(namespace, id, settings.operatorIdRoot());
  }

  /** Names rendered from the operator's templates over pod fields must belong to the namespace. */
  private Optional<Violation> templatedNameViolation(PodView pod, List<String> names) {
    return settings.tenant().dnsNames(pod.namespace(), names, Set.of());
  }

  /**
   * {@code k8s:ns:<ns>}, {@code k8s:pod-name:<name>} and, if configured, {@code k8s:pod-uid:<uid>};
   * or only {@code k8s:pod-uid:<uid>} in the {@link PodEntryShape#POD_UID} shape.
   */
  public List<Selector> selectorsFor(PodView pod) {
    if (settings.shape() == PodEntryShape.POD_UID) {
      return List.of(Selector.k8s("pod-uid", pod.uid()));
    }
    List<Selector> selectors = new ArrayList<>(3);
    selectors.add(Selector.k8s("ns", pod.namespace()));
    selectors.add(Selector.k8s("pod-name", pod.name()));
    if (settings.podUidSelector() && !pod.uid().isEmpty()) {
      selectors.add(Selector.k8s("pod-uid", pod.uid()));
    }
    return selectors;
  }

  /**
   * The pod an unmarked entry belongs to by its shape: its parent satisfies {@code isOurParent} and
   * its selectors are exactly {@code k8s:ns}, {@code k8s:pod-name} and optionally {@code
   * k8s:pod-uid} (what upstream's registrar wrote).
   */
  public static Optional<PodKey> ownerOf(Entry entry, Predicate<SpiffeId> isOurParent) {
    if (!isOurParent.test(entry.parentId())) {
      return Optional.empty();
    }
    Set<Selector> selectors = entry.selectors();
    if (selectors.size() < 2 || selectors.size() > 3) {
      return Optional.empty();
    }
    String namespace = null;
    String name = null;
    int uids = 0;
    for (Selector s : selectors) {
      if (!s.type().equals("k8s")) {
        return Optional.empty();
      }
      if (s.value().startsWith("ns:")) {
        namespace = s.value().substring(3);
      } else if (s.value().startsWith("pod-name:")) {
        name = s.value().substring(9);
      } else if (s.value().startsWith("pod-uid:")) {
        uids++;
      } else {
        return Optional.empty();
      }
    }
    if (namespace == null
        || name == null
        || namespace.isEmpty()
        || name.isEmpty()
        || uids + 2 != selectors.size()) {
      return Optional.empty();
    }
    return Optional.of(new PodKey(namespace, name));
  }
}
