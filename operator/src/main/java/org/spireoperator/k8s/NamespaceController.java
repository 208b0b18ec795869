package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import java.util.Objects;
import org.spireoperator.reconcile.Registrar;

/**
 * Namespaces, watched for spire-controller-manager's {@code namespaceSelector}: a namespace whose
 * labels change re-judges its pods against the ClusterSPIFFEIDs. Nothing else of a namespace
 * matters.
 */
@ControllerConfiguration(
    name = NamespaceController.NAME,
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = NamespaceController.LabelChange.class))
public final class NamespaceController implements Reconciler<Namespace> {

  public static final String NAME = "spire-namespaces";

  private final Registrar registrar;
  private final InformerClusterView view;

  public NamespaceController(Registrar registrar, InformerClusterView view) {
    this.registrar = registrar;
    this.view = view;
  }

  @Override
  public List<EventSource<?, Namespace>> prepareEventSources(
      EventSourceContext<Namespace> context) {
    view.attachNamespaces(context.getPrimaryCache());
    return List.of();
  }

  @Override
  public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
    registrar.namespaceChanged(namespace.getMetadata().getName());
    return UpdateControl.noUpdate();
  }

  /** Only label changes can change which ClusterSPIFFEIDs select a namespace's pods. */
  public static final class LabelChange implements OnUpdateFilter<Namespace> {
    @Override
    public boolean accept(Namespace newNs, Namespace oldNs) {
      return !Objects.equals(newNs.getMetadata().getLabels(), oldNs.getMetadata().getLabels());
    }
  }
}
