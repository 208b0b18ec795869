package org.spireoperator.crd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Turns a {@link SpiffeIDSpec} into the SPIRE {@link Entry} it describes, the way the upstream
 * {@code k8s-workload-registrar} did, and reports every reason it cannot. Pure: no I/O, no state,
 * and it never throws, whatever the input (nulls included).
 *
 * <p>Selectors: {@code podLabel {k: v}} → {@code k8s:pod-label:k:v}, {@code podName} → {@code
 * k8s:pod-name:}, {@code podUid} → {@code k8s:pod-uid:}, {@code namespace} → {@code k8s:ns:},
 * {@code serviceAccount} → {@code k8s:sa:}, {@code containerImage} → {@code k8s:container-image:},
 * {@code containerName} → {@code k8s:container-name:}, {@code nodeName} → {@code k8s:node-name:},
 * {@code cluster} → {@code k8s_psat:cluster:}, {@code agent_node_uid} → {@code
 * k8s_psat:agent_node_uid:}, and each {@code arbitrary} item {@code name:value} → {@code
 * k8s:name:value} (upstream gave arbitrary items the {@code k8s} type). Empty strings count as
 * absent, as upstream.
 */
public final class SpiffeIDEntries {

  /** The longest SPIFFE ID accepted (the SPIFFE standard's URI SAN limit). */
  public static final int MAX_SPIFFE_ID_LENGTH = 2048;

  static final String K8S = "k8s";
  static final String K8S_PSAT = "k8s_psat";
  private static final String SCHEME = "spiffe://";
  private static final int QUOTE_LIMIT = 80;

  private SpiffeIDEntries() {}

  /**
   * The entry {@code spec} describes (no entry ID yet), or every problem found, each naming its
   * field.
   */
  public static EntryMapping toEntry(SpiffeIDSpec spec) {
    if (spec == null) {
      return new EntryMapping.Invalid(List.of(new SpecProblem("spec", "is required")));
    }
    List<SpecProblem> problems = new ArrayList<>();
    Limits.check(spec, problems);
    if (!problems.isEmpty()) {
      return new EntryMapping.Invalid(problems);
    }
    Optional<SpiffeId> spiffeId = spiffeId("spec.spiffeId", spec.getSpiffeId(), true, problems);
    Optional<SpiffeId> parentId = spiffeId("spec.parentId", spec.getParentId(), false, problems);
    if (spiffeId.isPresent()
        && parentId.isPresent()
        && !spiffeId.get().trustDomain().equals(parentId.get().trustDomain())) {
      problems.add(
          new SpecProblem(
              "spec.parentId",
              "trust domain "
                  + quote(parentId.get().trustDomain())
                  + " differs from the trust domain of spec.spiffeId, "
                  + quote(spiffeId.get().trustDomain())));
    }
    SortedSet<Selector> selectors = selectors(spec.getSelector(), problems);
    List<String> dnsNames = dnsNames(spec.getDnsNames(), problems);
    SortedSet<String> federatesWith = federatesWith(spec.getFederatesWith(), problems);
    int ttl = ttl("spec.ttl", spec.getTtl(), problems);
    int jwtTtl = ttl("spec.jwtTtl", spec.getJwtTtl(), problems);
    String hint = hint(spec.getHint(), problems);
    if (!problems.isEmpty()) {
      return new EntryMapping.Invalid(problems);
    }
    Entry entry =
        new Entry(
            null,
            spiffeId.orElseThrow(),
            parentId.orElseThrow(),
            selectors,
            dnsNames,
            federatesWith,
            ttl,
            jwtTtl,
            isTrue(spec.getAdmin()),
            isTrue(spec.getDownstream()),
            hint,
            isTrue(spec.getStoreSvid()),
            0,
            0,
            0);
    return new EntryMapping.Valid(entry);
  }

  /**
   * The selectors {@code selector} stands for, with problems added to {@code problems} (fields
   * under {@code spec.selector}). Adds a problem if there is no selector at all.
   */
  static SortedSet<Selector> selectors(SpiffeIDSelector selector, List<SpecProblem> problems) {
    SortedSet<Selector> out = new TreeSet<>();
    if (selector == null) {
      problems.add(new SpecProblem("spec.selector", "is required"));
      return out;
    }
    addIfPresent(out, K8S_PSAT, "cluster", selector.getCluster());
    addIfPresent(out, K8S_PSAT, "agent_node_uid", selector.getAgentNodeUid());
    podLabels(selector.getPodLabel(), out, problems);
    addIfPresent(out, K8S, "pod-name", selector.getPodName());
    addIfPresent(out, K8S, "pod-uid", selector.getPodUid());
    addIfPresent(out, K8S, "ns", selector.getNamespace());
    addIfPresent(out, K8S, "sa", selector.getServiceAccount());
    addIfPresent(out, K8S, "container-image", selector.getContainerImage());
    addIfPresent(out, K8S, "container-name", selector.getContainerName());
    addIfPresent(out, K8S, "node-name", selector.getNodeName());
    arbitrary(selector.getArbitrary(), out, problems);
    boolean selectorProblems =
        problems.stream().anyMatch(p -> p.field().startsWith("spec.selector"));
    if (out.isEmpty() && !selectorProblems) {
      problems.add(
          new SpecProblem(
              "spec.selector",
              "at least one selector is required (for example namespace and serviceAccount, or podLabel)"));
    }
    return out;
  }

  /**
   * True if {@code selector} has node attestor ({@code k8s_psat}) selectors: {@code cluster} or
   * {@code agent_node_uid}.
   */
  static boolean hasNodeSelectors(SpiffeIDSelector selector) {
    return selector != null
        && (isPresent(selector.getCluster()) || isPresent(selector.getAgentNodeUid()));
  }

  private static void addIfPresent(
      SortedSet<Selector> out, String type, String name, String value) {
    if (isPresent(value)) {
      out.add(new Selector(type, name + ":" + value));
    }
  }

  private static void podLabels(
      Map<String, String> labels, SortedSet<Selector> out, List<SpecProblem> problems) {
    if (labels == null) {
      return;
    }
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String name = label.getKey();
      if (name == null || name.isEmpty()) {
        problems.add(new SpecProblem("spec.selector.podLabel", "a label name must not be empty"));
        continue;
      }
      if (label.getValue() == null) {
        problems.add(
            new SpecProblem(
                "spec.selector.podLabel",
                "label " + quote(name) + " has no value (write \"\" to match an empty value)"));
        continue;
      }
      out.add(new Selector(K8S, "pod-label:" + name + ":" + label.getValue()));
    }
  }

  private static void arbitrary(
      List<String> items, SortedSet<Selector> out, List<SpecProblem> problems) {
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      String field = "spec.selector.arbitrary[" + i + "]";
      if (item == null) {
        problems.add(new SpecProblem(field, "must not be null"));
        continue;
      }
      int colon = item.indexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        problems.add(
            new SpecProblem(
                field,
                quote(item)
                    + " is not \"name:value\", a Kubernetes workload attestor "
                    + "selector without its \"k8s:\" type (for example \"pod-image-count:1\")"));
        continue;
      }
      out.add(new Selector(K8S, item));
    }
  }

  private static Optional<SpiffeId> spiffeId(
      String field, String text, boolean workload, List<SpecProblem> problems) {
    if (text == null || text.isEmpty()) {
      problems.add(new SpecProblem(field, "is required"));
      return Optional.empty();
    }
    if (text.length() > MAX_SPIFFE_ID_LENGTH) {
      problems.add(
          new SpecProblem(
              field,
              "invalid SPIFFE ID "
                  + quote(text)
                  + ": longer than "
                  + MAX_SPIFFE_ID_LENGTH
                  + " characters"));
      return Optional.empty();
    }
    SpiffeId id;
    try {
      id = SpiffeId.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(field, e.getMessage()));
      return Optional.empty();
    }
    if (id.path().isEmpty()) {
      problems.add(
          new SpecProblem(
              field,
              "SPIFFE ID "
                  + quote(text)
                  + " has no path; SPIRE registers only IDs "
                  + "with one, as in "
                  + SCHEME
                  + id.trustDomain()
                  + "/ns/default/sa/default"));
      return Optional.empty();
    }
    if (workload && (id.path().equals("/spire") || id.path().startsWith("/spire/"))) {
      problems.add(
          new SpecProblem(
              field,
              "SPIFFE ID "
                  + quote(text)
                  + " is under /spire, which SPIRE reserves "
                  + "for its servers and agents"));
      return Optional.empty();
    }
    return Optional.of(id);
  }

  private static List<String> dnsNames(List<String> names, List<SpecProblem> problems) {
    if (names == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Optional<String> problem = DnsNames.problem(name);
      if (problem.isPresent()) {
        String subject = name == null ? "" : quote(name) + " is not a valid DNS name: ";
        problems.add(new SpecProblem("spec.dnsNames[" + i + "]", subject + problem.get()));
      } else {
        out.add(name);
      }
    }
    return out;
  }

  private static SortedSet<String> federatesWith(
      List<String> trustDomains, List<SpecProblem> problems) {
    SortedSet<String> out = new TreeSet<>();
    if (trustDomains == null) {
      return out;
    }
    for (int i = 0; i < trustDomains.size(); i++) {
      String field = "spec.federatesWith[" + i + "]";
      String text = trustDomains.get(i);
      if (text == null || text.isEmpty()) {
        problems.add(new SpecProblem(field, "must name a trust domain"));
        continue;
      }
      String name = text.startsWith(SCHEME) ? text.substring(SCHEME.length()) : text;
      String problem =
          name.length() > MAX_SPIFFE_ID_LENGTH ? "is too long" : SpiffeId.trustDomainProblem(name);
      if (problem != null) {
        problems.add(
            new SpecProblem(
                field,
                quote(text)
                    + " is not a trust domain (example.org or "
                    + "spiffe://example.org): "
                    + problem));
        continue;
      }
      out.add(name);
    }
    return out;
  }

  private static int ttl(String field, Integer seconds, List<SpecProblem> problems) {
    if (seconds == null) {
      return 0;
    }
    if (seconds < 0) {
      problems.add(
          new SpecProblem(
              field,
              "must not be negative (got "
                  + seconds
                  + "); use 0 or leave it out for the server default"));
      return 0;
    }
    if (seconds > 0 && seconds < Limits.MIN_TTL_SECONDS) {
      problems.add(
          new SpecProblem(
              field,
              "must be 0 (the server's default) or at least "
                  + Limits.MIN_TTL_SECONDS
                  + " seconds (got "
                  + seconds
                  + "): shorter SVIDs make agents renew continuously"));
      return 0;
    }
    return seconds;
  }

  private static String hint(String hint, List<SpecProblem> problems) {
    if (hint == null) {
      return "";
    }
    int bytes = hint.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > SpiffeIDSpec.MAX_HINT_LENGTH) {
      problems.add(
          new SpecProblem(
              "spec.hint",
              "is "
                  + bytes
                  + " bytes long; the SPIRE server accepts at most "
                  + SpiffeIDSpec.MAX_HINT_LENGTH));
      return "";
    }
    return hint;
  }

  static boolean isPresent(String value) {
    return value != null && !value.isEmpty();
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  /** {@code text} in double quotes, shortened to keep messages readable. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    if (text.length() <= QUOTE_LIMIT) {
      return "\"" + text + "\"";
    }
    int end =
        Character.isHighSurrogate(text.charAt(QUOTE_LIMIT - 1)) ? QUOTE_LIMIT - 1 : QUOTE_LIMIT;
    String shown = text.substring(0, end) + "…";
    return "\"" + shown + "\"";
  }
}
