package org.spireoperator.scm.entries;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDSpec;
import org.spireoperator.scm.selector.LabelQuery;
import org.spireoperator.scm.selector.LabelSelectors;
import org.spireoperator.scm.template.GoTemplate;

/**
 * A {@link ClusterSPIFFEID} spec, parsed and validated once as spire-controller-manager's {@code
 * ParseClusterSPIFFEIDSpec} does (an invalid spec makes the whole object ignored): templates
 * parsed, selectors compiled, trust domains and TTLs read.
 */
public record ClusterSpiffeIdRule(
    Declarer declarer,
    String className,
    boolean fallback,
    GoTemplate spiffeIdTemplate,
    List<GoTemplate> dnsNameTemplates,
    List<GoTemplate> workloadSelectorTemplates,
    LabelQuery namespaceSelector,
    LabelQuery podSelector,
    int x509SvidTtl,
    int jwtSvidTtl,
    List<String> federatesWith,
    boolean admin,
    boolean downstream,
    boolean autoPopulateDnsNames,
    String hint) {

  public ClusterSpiffeIdRule {
    Objects.requireNonNull(declarer, "declarer");
    className = className == null ? "" : className;
    Objects.requireNonNull(spiffeIdTemplate, "spiffeIdTemplate");
    dnsNameTemplates = List.copyOf(dnsNameTemplates);
    workloadSelectorTemplates = List.copyOf(workloadSelectorTemplates);
    Objects.requireNonNull(namespaceSelector, "namespaceSelector");
    Objects.requireNonNull(podSelector, "podSelector");
    federatesWith = List.copyOf(federatesWith);
    hint = hint == null ? "" : hint;
  }

  /** The parsed rule, or why the spec is invalid (the message names the field). */
  public static Outcome<ClusterSpiffeIdRule> parse(ClusterSPIFFEID resource) {
    ClusterSPIFFEIDSpec spec = resource.getSpec();
    if (spec == null) {
      return Outcome.failed("spec is missing");
    }
    if (spec.getSpiffeIDTemplate() == null || spec.getSpiffeIDTemplate().isEmpty()) {
      return Outcome.failed("spiffeIDTemplate is empty");
    }
    Outcome<GoTemplate> spiffeId = GoTemplate.parse("spiffeIDTemplate", spec.getSpiffeIDTemplate());
    if (!spiffeId.isOk()) {
      return Outcome.failed(spiffeId.failure());
    }
    Outcome<LabelQuery> namespaces =
        LabelSelectors.compile(spec.getNamespaceSelector()).context("namespaceSelector");
    if (!namespaces.isOk()) {
      return Outcome.failed(namespaces.failure());
    }
    Outcome<LabelQuery> pods = LabelSelectors.compile(spec.getPodSelector()).context("podSelector");
    if (!pods.isOk()) {
      return Outcome.failed(pods.failure());
    }
    Outcome<List<String>> federatesWith = SpecValues.federatesWith(spec.getFederatesWith());
    if (!federatesWith.isOk()) {
      return Outcome.failed(federatesWith.failure());
    }
    Outcome<List<GoTemplate>> dnsNames = templates("dnsNameTemplates", spec.getDnsNameTemplates());
    if (!dnsNames.isOk()) {
      return Outcome.failed(dnsNames.failure());
    }
    Outcome<List<GoTemplate>> selectors =
        templates("workloadSelectorTemplates", spec.getWorkloadSelectorTemplates());
    if (!selectors.isOk()) {
      return Outcome.failed(selectors.failure());
    }
    Outcome<Integer> ttl = SpecValues.ttlSeconds("ttl", spec.getTtl());
    if (!ttl.isOk()) {
      return Outcome.failed(ttl.failure());
    }
    Outcome<Integer> jwtTtl = SpecValues.ttlSeconds("jwtTtl", spec.getJwtTtl());
    if (!jwtTtl.isOk()) {
      return Outcome.failed(jwtTtl.failure());
    }
    return Outcome.ok(
        new ClusterSpiffeIdRule(
            Declarer.of(resource),
            spec.getClassName(),
            Boolean.TRUE.equals(spec.getFallback()),
            spiffeId.orElseThrow(),
            dnsNames.orElseThrow(),
            selectors.orElseThrow(),
            namespaces.orElseThrow(),
            pods.orElseThrow(),
            ttl.orElseThrow(),
            jwtTtl.orElseThrow(),
            federatesWith.orElseThrow(),
            Boolean.TRUE.equals(spec.getAdmin()),
            Boolean.TRUE.equals(spec.getDownstream()),
            Boolean.TRUE.equals(spec.getAutoPopulateDNSNames()),
            spec.getHint()));
  }

  private static Outcome<List<GoTemplate>> templates(String field, List<String> sources) {
    List<GoTemplate> out = new ArrayList<>();
    List<String> all = sources == null ? List.of() : sources;
    for (int i = 0; i < all.size(); i++) {
      String source = all.get(i);
      Outcome<GoTemplate> t = GoTemplate.parse(field + "[" + i + "]", source == null ? "" : source);
      if (!t.isOk()) {
        return Outcome.failed(t.failure());
      }
      out.add(t.orElseThrow());
    }
    return Outcome.ok(out);
  }

  /** Whether the namespace is selected by {@code namespaceSelector} (ignored ones included). */
  public boolean selectsNamespace(ScmNamespace namespace) {
    return namespaceSelector.matches(namespace.labels());
  }

  /** Whether the pod is selected by {@code podSelector} (its namespace is not checked here). */
  public boolean selectsPod(ScmPod pod) {
    return podSelector.matches(pod.labels());
  }
}
