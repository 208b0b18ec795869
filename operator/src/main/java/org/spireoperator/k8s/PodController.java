package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.spireoperator.observe.RegistrarMetrics;
import org.spireoperator.reconcile.Registrar;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;

/**
 * Pods: every add, relevant update and delete reconciles that pod's entries. A SPIRE agent pod also
 * reconciles its node's entry, whose {@code k8s_sat} selectors name the agent's service account.
 */
@ControllerConfiguration(
    name = PodController.NAME,
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = PodController.RelevantChange.class))
public final class PodController implements Reconciler<Pod> {

  public static final String NAME = "spire-pods";

  private final Registrar registrar;
  private final InformerClusterView view;
  private final boolean watchEndpointSlices;
  private final RegistrarMetrics metrics;
  private final PodMirror mirror;

  /**
   * @param mirror null unless pods are written as SpiffeID objects (crd mode)
   */
  public PodController(
      Registrar registrar,
      InformerClusterView view,
      boolean watchEndpointSlices,
      RegistrarMetrics metrics,
      PodMirror mirror) {
    this.registrar = registrar;
    this.view = view;
    this.watchEndpointSlices = watchEndpointSlices;
    this.metrics = metrics;
    this.mirror = mirror;
  }

  @Override
  public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
    view.attachPods(context.getPrimaryCache());
    if (!watchEndpointSlices) {
      return List.of();
    }
    var slices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointSlice.class, Pod.class)
                .withSecondaryToPrimaryMapper(PodController::podsOf)
                .withWatchAllNamespaces()
                .build(),
            context);
    view.attachEndpointSlices(slices);
    return List.of(slices);
  }

  private static Set<ResourceID> podsOf(EndpointSlice slice) {
    return EndpointSlices.podKeysOf(slice).stream()
        .map(
            k -> {
              int slash = k.indexOf('/');
              return new ResourceID(k.substring(slash + 1), k.substring(0, slash));
            })
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    var meta = pod.getMetadata();
    PodKey key = new PodKey(meta.getNamespace(), meta.getName());
    registrar.podChanged(key);
    if (mirror != null) {
      metrics.timeReconcile("pod", () -> mirror.reconcile(key));
    }
    if (view.agentPods().matches(pod)
        && pod.getSpec() != null
        && pod.getSpec().getNodeName() != null) {
      registrar.changed(new NodeKey(pod.getSpec().getNodeName()));
    }
    return UpdateControl.noUpdate();
  }

  /** Lets through only updates that can change the pod's entry. */
  public static final class RelevantChange implements OnUpdateFilter<Pod> {
    @Override
    public boolean accept(Pod newPod, Pod oldPod) {
      PodView n = PodView.of(newPod);
      PodView o = PodView.of(oldPod);
      return !n.equals(o)
          || !Objects.equals(
              newPod.getMetadata().getDeletionTimestamp(),
              oldPod.getMetadata().getDeletionTimestamp());
    }
  }
}
