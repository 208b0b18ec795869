package org.spireoperator.scm.entries;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.template.GoTemplate;
import org.spireoperator.scm.template.TemplateData;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The entry spire-controller-manager v0.6.4 renders for one pod and one ClusterSPIFFEID ({@code
 * renderPodEntry}), in its order of checks: the pod's node must be known; the parent ID comes from
 * the node alone; the SPIFFE ID must be a valid ID in the trust domain; DNS names are the rendered
 * {@code dnsNameTemplates} (duplicates dropped, order kept) followed, with {@code
 * autoPopulateDNSNames}, by the names of the Services whose endpoints include the pod (sorted);
 * selectors are {@code k8s:pod-uid:<uid>} plus each rendered {@code workloadSelectorTemplates} item
 * as {@code type:value}. DNS names are not validated here (the SPIRE server checks them).
 */
public final class PodEntryRenderer {

  private PodEntryRenderer() {}

  /**
   * The pod's entry, or why it cannot be rendered.
   *
   * @param node the pod's node, null when it is not known (an unscheduled pod, or a node gone)
   * @param serviceNames names of the Services in the pod's namespace whose endpoints (ready or not)
   *     target the pod; used only with {@code autoPopulateDNSNames}
   */
  public static Outcome<Entry> render(
      ClusterSpiffeIdRule rule,
      ScmSettings settings,
      ScmPod pod,
      ScmNode node,
      Set<String> serviceNames,
      ParentRule parent) {
    if (node == null) {
      return Outcome.failed(
          pod.nodeName().isEmpty()
              ? "the pod is not scheduled to a node yet"
              : "the pod's node \"" + pod.nodeName() + "\" is not known");
    }
    TemplateData nodeData =
        new TemplateData(
            settings.trustDomain(),
            settings.clusterName(),
            settings.clusterDomain(),
            null,
            null,
            node.meta(),
            node.spec());
    Outcome<SpiffeId> parentId = parent.parentOf(node, nodeData).context("parent ID");
    if (!parentId.isOk()) {
      return Outcome.failed(parentId.failure());
    }
    TemplateData data =
        new TemplateData(
            settings.trustDomain(),
            settings.clusterName(),
            settings.clusterDomain(),
            pod.meta(),
            pod.spec(),
            node.meta(),
            node.spec());
    Outcome<SpiffeId> spiffeId =
        rule.spiffeIdTemplate()
            .render(data)
            .flatMap(text -> spiffeIdIn(text, settings.trustDomain()))
            .context("SPIFFE ID");
    if (!spiffeId.isOk()) {
      return Outcome.failed(spiffeId.failure());
    }
    LinkedHashSet<String> dnsNames = new LinkedHashSet<>();
    for (GoTemplate t : rule.dnsNameTemplates()) {
      Outcome<String> name = t.render(data).context("DNS name");
      if (!name.isOk()) {
        return Outcome.failed(name.failure());
      }
      dnsNames.add(name.orElseThrow());
    }
    if (rule.autoPopulateDnsNames()) {
      dnsNames.addAll(serviceDnsNames(pod.namespace(), serviceNames, settings.clusterDomain()));
    }
    List<Selector> selectors = new ArrayList<>();
    selectors.add(Selector.k8s("pod-uid", pod.uid()));
    for (GoTemplate t : rule.workloadSelectorTemplates()) {
      Outcome<String> text = t.render(data);
      Outcome<Selector> selector =
          text.flatMap(s -> SpecValues.selector(s)).context("workload selector");
      if (!selector.isOk()) {
        return Outcome.failed(selector.failure());
      }
      selectors.add(selector.orElseThrow());
    }
    return Outcome.ok(
        new Entry(
            null,
            spiffeId.orElseThrow(),
            parentId.orElseThrow(),
            new TreeSet<>(selectors),
            List.copyOf(dnsNames),
            new TreeSet<>(rule.federatesWith()),
            rule.x509SvidTtl(),
            rule.jwtSvidTtl(),
            rule.admin(),
            rule.downstream(),
            rule.hint(),
            false,
            0,
            0,
            0));
  }

  /**
   * The DNS names spire-controller-manager adds for Services ({@code dnsNamesFromEndpoints}): for
   * each, {@code <svc>}, {@code <svc>.<ns>}, {@code <svc>.<ns>.svc} and, with a cluster domain,
   * {@code <svc>.<ns>.svc.<domain>}; all sorted together (byte order).
   */
  public static List<String> serviceDnsNames(
      String namespace, Set<String> serviceNames, String clusterDomain) {
    TreeSet<String> names = new TreeSet<>();
    for (String service : serviceNames == null ? Set.<String>of() : serviceNames) {
      names.add(service);
      names.add(service + "." + namespace);
      names.add(service + "." + namespace + ".svc");
      if (clusterDomain != null && !clusterDomain.isEmpty()) {
        names.add(service + "." + namespace + ".svc." + clusterDomain);
      }
    }
    return List.copyOf(names);
  }

  /** {@code text} as a SPIFFE ID that must be in {@code trustDomain}. */
  static Outcome<SpiffeId> spiffeIdIn(String text, String trustDomain) {
    SpiffeId id;
    try {
      id = SpiffeId.parse(text);
    } catch (InvalidSpiffeIdException e) {
      return Outcome.failed(e.getMessage());
    }
    if (!id.trustDomain().equals(trustDomain)) {
      return Outcome.failed("\"" + text + "\" is not in the trust domain \"" + trustDomain + "\"");
    }
    return Outcome.ok(id);
  }
}
