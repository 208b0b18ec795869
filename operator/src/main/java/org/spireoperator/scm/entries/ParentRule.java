package org.spireoperator.scm.entries;

import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.template.GoTemplate;
import org.spireoperator.scm.template.TemplateData;
import org.spireoperator.spire.SpiffeId;

/**
 * The parent ID of a pod's entry, from the pod's node. spire-controller-manager's default is the
 * {@code k8s_psat} agent ID of the node ({@link #scmDefault()}); its {@code parentIDTemplate} is
 * {@link #template(GoTemplate)}; the operator's own per-node parenting plugs in as a lambda.
 */
@FunctionalInterface
public interface ParentRule {

  /** spire-controller-manager's {@code defaultParentIDTemplate}, as written in v0.6.4. */
  String SCM_DEFAULT_TEMPLATE =
      "spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}";

  /**
   * The parent of entries for pods on {@code node}; {@code nodeData} is the template data of the
   * node alone (no pod), as spire-controller-manager renders its parent template with.
   */
  Outcome<SpiffeId> parentOf(ScmNode node, TemplateData nodeData);

  /** {@code spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node UID>}. */
  static ParentRule scmDefault() {
    return template(
        GoTemplate.parse("defaultParentIDTemplate", SCM_DEFAULT_TEMPLATE).orElseThrow());
  }

  /**
   * A parent ID template (spire-controller-manager's {@code parentIDTemplate}): rendered with the
   * node's data, it must be a SPIFFE ID in the trust domain.
   */
  static ParentRule template(GoTemplate template) {
    return (node, nodeData) ->
        template
            .render(nodeData)
            .flatMap(text -> PodEntryRenderer.spiffeIdIn(text, nodeData.trustDomain()));
  }
}
