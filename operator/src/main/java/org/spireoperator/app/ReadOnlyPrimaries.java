package org.spireoperator.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.Cloner;
import java.util.function.UnaryOperator;

/**
 * What JOSDK hands a reconciler: Pods and Nodes as the cache holds them, everything else copied.
 * JOSDK copies every primary resource before it reconciles it (a JSON round trip by default), so
 * that a reconciler may change its copy; the Pod and Node reconcilers only read (they queue a
 * subject and change nothing, with no finalizer and no status), and the copy was 10,000 JSON round
 * trips at a start with 10,000 pods, on the CPU the first full pass needs. SpiffeID and
 * spire-controller-manager resources, whose reconcilers write status, are still copied.
 */
final class ReadOnlyPrimaries implements Cloner {

  private final UnaryOperator<HasMetadata> copy;

  /**
   * @param copy how other resources are copied (JOSDK's default: the client's serialization)
   */
  ReadOnlyPrimaries(UnaryOperator<HasMetadata> copy) {
    this.copy = copy;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> R clone(R object) {
    if (object instanceof Pod || object instanceof Node) {
      return object;
    }
    return (R) copy.apply(object);
  }
}
