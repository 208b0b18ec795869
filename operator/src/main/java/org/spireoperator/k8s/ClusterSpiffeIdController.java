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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.spireoperator.reconcile.Registrar;
import org.spireoperator.reconcile.ScmReports;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.WorkloadKey;
import org.spireoperator.scm.crd.ClusterSPIFFEID;
import org.spireoperator.scm.crd.ClusterSPIFFEIDStatus;
import org.spireoperator.scm.entries.Readiness;
import org.spireoperator.scm.entries.StatusCounters;

/**
 * ClusterSPIFFEIDs: a change or deletion queues the pods its old and new selectors reach (the
 * engine writes their entries); the status (spire-controller-manager's counters and our Ready
 * condition) is computed from what the engine did for those pods, and written when it changed, at
 * most every {@link #STATUS_INTERVAL} while pods churn. Never waits.
 */
@ControllerConfiguration(
    name = ClusterSpiffeIdController.NAME,
    triggerReconcilerOnAllEvents = true,
    generationAwareEventProcessing = false)
public final class ClusterSpiffeIdController implements Reconciler<ClusterSPIFFEID> {

  public static final String NAME = "clusterspiffeids";
  static final Duration STATUS_INTERVAL = Duration.ofSeconds(5);

  private final Registrar registrar;
  private final ScmReports reports;
  private final InformerClusterView view;
  private final Clock clock;
  private final Map<String, Instant> lastStatus = new ConcurrentHashMap<>();
  private final SpecGenerations generations = new SpecGenerations();
  private final SimpleInboundEventSource<ClusterSPIFFEID> outcomeEvents =
      new SimpleInboundEventSource<>();

  public ClusterSpiffeIdController(
      Registrar registrar, ScmReports reports, InformerClusterView view, Clock clock) {
    this.registrar = registrar;
    this.reports = reports;
    this.view = view;
    this.clock = clock;
    registrar.outcomes().onChange(this::outcomeChanged);
  }

  private void outcomeChanged(Subject subject) {
    if (subject instanceof WorkloadKey w) {
      outcomeEvents.propagateEvent(new ResourceID(w.clusterSpiffeId()));
    }
  }

  @Override
  public List<EventSource<?, ClusterSPIFFEID>> prepareEventSources(
      EventSourceContext<ClusterSPIFFEID> context) {
    view.attachClusterSpiffeIds(context.getPrimaryCache());
    return List.of(outcomeEvents);
  }

  @Override
  public UpdateControl<ClusterSPIFFEID> reconcile(
      ClusterSPIFFEID resource, Context<ClusterSPIFFEID> context) {
    String name = resource.getMetadata().getName();
    if (context.isPrimaryResourceDeleted()) {
      generations.forget(name);
      lastStatus.remove(name);
      registrar.clusterSpiffeIdChanged(name);
      return UpdateControl.noUpdate();
    }
    Long generation = resource.getMetadata().getGeneration();
    if (generations.changed(name, generation)) {
      registrar.clusterSpiffeIdChanged(name);
    }
    Instant now = clock.instant();
    Instant last = lastStatus.get(name);
    if (last != null && Duration.between(last, now).compareTo(STATUS_INTERVAL) < 0) {
      return UpdateControl.<ClusterSPIFFEID>noUpdate()
          .rescheduleAfter(STATUS_INTERVAL.minus(Duration.between(last, now)));
    }
    ScmReports.ClusterSpiffeIdStatus s = reports.clusterSpiffeId(resource);
    ClusterSPIFFEIDStatus next = new ClusterSPIFFEIDStatus();
    next.setStats(StatusCounters.stats(s.report(), s.entryFailures()));
    List<Condition> current =
        resource.getStatus() == null ? null : resource.getStatus().getConditions();
    next.setConditions(
        List.of(Readiness.of(s.report(), s.entryFailures()).toCondition(generation, current, now)));
    if (next.equals(resource.getStatus())) {
      return UpdateControl.noUpdate();
    }
    lastStatus.put(name, now);
    ClusterSPIFFEID patch = new ClusterSPIFFEID();
    patch.setMetadata(resource.getMetadata());
    patch.setSpec(resource.getSpec());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch);
  }
}
