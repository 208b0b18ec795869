package org.spireoperator.registration;

import java.util.Objects;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.SpiffeId;

/**
 * How a pod's SPIFFE ID is derived. Each variant answers with an ID, "no identity", or a rejection.
 */
public sealed interface PodIdentity {

  /** The pod's SPIFFE ID in {@code trustDomain}, or why it has none. */
  Derived derive(PodView pod, String trustDomain);

  /** The result of deriving an identity. */
  sealed interface Derived {}

  /** The pod has this identity. */
  record Id(SpiffeId spiffeId) implements Derived {}

  /** The pod wants no identity (e.g. it lacks the label); not an error. */
  record None(String reason) implements Derived {}

  /** The pod asks for an identity that is invalid; the reason is for the user. */
  record Invalid(String reason) implements Derived {}

  /** {@code spiffe://<td>/ns/<namespace>/sa/<service account>}, upstream's default. */
  record ServiceAccount() implements PodIdentity {
    @Override
    public Derived derive(PodView pod, String trustDomain) {
      return build(
          trustDomain,
          "/ns/" + pod.namespace() + "/sa/" + pod.serviceAccount(),
          "service account \"" + pod.serviceAccount() + "\"");
    }
  }

  /** {@code spiffe://<td>/<value of label key>}; pods without the label get no entry. */
  record Label(String key) implements PodIdentity {
    public Label {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public Derived derive(PodView pod, String trustDomain) {
      String value = pod.labels().get(key);
      if (value == null) {
        return new None("pod has no label \"" + key + "\"");
      }
      return build(trustDomain, "/" + value, "label \"" + key + "\" value \"" + value + "\"");
    }
  }

  /** {@code spiffe://<td>/<value of annotation key>}, which may hold several path segments. */
  record Annotation(String key) implements PodIdentity {
    public Annotation {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public Derived derive(PodView pod, String trustDomain) {
      String value = pod.annotations().get(key);
      if (value == null) {
        return new None("pod has no annotation \"" + key + "\"");
      }
      String path = value.startsWith("/") ? value : "/" + value;
      return build(trustDomain, path, "annotation \"" + key + "\" value \"" + value + "\"");
    }
  }

  /**
   * An identity template such as {@code ns/{{.Pod.Namespace}}/sa/{{.Pod.ServiceAccount}}}. With
   * {@code requiredLabel} set, only pods whose label of that name is {@code true} get an identity
   * (upstream's {@code identity_template_label}).
   */
  record Template(IdentityTemplate template, String requiredLabel) implements PodIdentity {
    public Template {
      Objects.requireNonNull(template, "template");
    }

    @Override
    public Derived derive(PodView pod, String trustDomain) {
      if (requiredLabel != null
          && !requiredLabel.isEmpty()
          && !"true".equalsIgnoreCase(pod.labels().get(requiredLabel))) {
        return new None("pod label \"" + requiredLabel + "\" is not \"true\"");
      }
      IdentityTemplate.Rendered rendered = template.render(pod);
      if (rendered.problem() != null) {
        return new Invalid("identity template " + template.source() + ": " + rendered.problem());
      }
      String path = rendered.text().startsWith("/") ? rendered.text() : "/" + rendered.text();
      return build(
          trustDomain,
          path,
          "identity template " + template.source() + " rendered \"" + rendered.text() + "\"");
    }
  }

  private static Derived build(String trustDomain, String path, String origin) {
    try {
      return new Id(new SpiffeId(trustDomain, path));
    } catch (InvalidSpiffeIdException e) {
      return new Invalid(origin + " gives an " + e.getMessage());
    }
  }
}
