package org.spireoperator.scm.entries;

import io.fabric8.kubernetes.api.model.Namespace;
import java.util.Map;
import java.util.Objects;

/** A Namespace: its name and labels, for {@code namespaceSelector} and {@code ignoreNamespaces}. */
public record ScmNamespace(String name, Map<String, String> labels) {

  public ScmNamespace {
    Objects.requireNonNull(name, "name");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static ScmNamespace of(Namespace namespace) {
    return new ScmNamespace(namespace.getMetadata().getName(), namespace.getMetadata().getLabels());
  }
}
