package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.spireoperator.reconcile.Registrar;
import org.spireoperator.reconcile.ScmReports;
import org.spireoperator.registration.StaticEntryKey;
import org.spireoperator.scm.crd.ClusterStaticEntry;
import org.spireoperator.scm.crd.ClusterStaticEntryStatus;
import org.spireoperator.scm.entries.Readiness;
import org.spireoperator.scm.entries.StatusCounters;

/**
 * ClusterStaticEntries: a change or deletion queues the entry (and the other static entries, which
 * may mask it); the status (rendered, masked, set, Ready) follows the engine's outcome for it.
 */
@ControllerConfiguration(
    name = ClusterStaticEntryController.NAME,
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false)
public final class ClusterStaticEntryController implements Reconciler<ClusterStaticEntry> {

  public static final String NAME = "clusterstaticentries";

  private final Registrar registrar;
  private final ScmReports reports;
  private final InformerClusterView view;
  private final Clock clock;
  private final SpecGenerations generations = new SpecGenerations();
  private final SimpleInboundEventSource<ClusterStaticEntry> outcomeEvents =
      new SimpleInboundEventSource<>();

  public ClusterStaticEntryController(
      Registrar registrar, ScmReports reports, InformerClusterView view, Clock clock) {
    this.registrar = registrar;
    this.reports = reports;
    this.view = view;
    this.clock = clock;
    registrar
        .outcomes()
        .onChange(
            s -> {
              if (s instanceof StaticEntryKey k) {
                outcomeEvents.propagateEvent(new ResourceID(k.name()));
              }
            });
  }

  @Override
  public List<EventSource<?, ClusterStaticEntry>> prepareEventSources(
      EventSourceContext<ClusterStaticEntry> context) {
    view.attachStaticEntries(context.getPrimaryCache());
    return List.of(outcomeEvents);
  }

  @Override
  public UpdateControl<ClusterStaticEntry> reconcile(
      ClusterStaticEntry resource, Context<ClusterStaticEntry> context) {
    String name = resource.getMetadata().getName();
    if (context.isPrimaryResourceDeleted()) {
      generations.forget(name);
      registrar.staticEntryChanged(name);
      return UpdateControl.noUpdate();
    }
    if (generations.changed(name, resource.getMetadata().getGeneration())) {
      registrar.staticEntryChanged(name);
    }
    Optional<ScmReports.StaticStatus> s = reports.staticEntry(name);
    if (s.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    ClusterStaticEntryStatus next =
        StatusCounters.staticStatus(s.get().report(), s.get().inSpire());
    List<Condition> current =
        resource.getStatus() == null ? null : resource.getStatus().getConditions();
    next.setConditions(
        List.of(
            Readiness.of(s.get().report(), s.get().inSpire(), s.get().spireProblem())
                .toCondition(resource.getMetadata().getGeneration(), current, clock.instant())));
    if (next.equals(resource.getStatus())) {
      return UpdateControl.noUpdate();
    }
    ClusterStaticEntry patch = new ClusterStaticEntry();
    patch.setMetadata(resource.getMetadata());
    patch.setSpec(resource.getSpec());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch);
  }
}
