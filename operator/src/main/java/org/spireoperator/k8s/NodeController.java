package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import org.spireoperator.reconcile.Registrar;

/**
 * Nodes: an added or deleted node reconciles its node entry. Status heartbeats are filtered out.
 */
@ControllerConfiguration(
    name = NodeController.NAME,
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = NodeController.NoUpdates.class))
public final class NodeController implements Reconciler<Node> {

  public static final String NAME = "spire-nodes";

  private final Registrar registrar;
  private final InformerClusterView view;

  public NodeController(Registrar registrar, InformerClusterView view) {
    this.registrar = registrar;
    this.view = view;
  }

  @Override
  public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
    view.attachNodes(context.getPrimaryCache());
    return List.of();
  }

  @Override
  public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
    registrar.nodeChanged(node.getMetadata().getName());
    return UpdateControl.noUpdate();
  }

  /** A node entry depends only on the node's name and existence: updates never change it. */
  public static final class NoUpdates implements OnUpdateFilter<Node> {
    @Override
    public boolean accept(Node newNode, Node oldNode) {
      return newNode.getMetadata().getDeletionTimestamp() != null
          && oldNode.getMetadata().getDeletionTimestamp() == null;
    }
  }
}
