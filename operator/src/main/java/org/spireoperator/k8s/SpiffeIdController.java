package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.spireoperator.crd.PodMirrors;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDStatus;
import org.spireoperator.reconcile.Registrar;
import org.spireoperator.reconcile.SubjectOutcome;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.registration.Subject;

/**
 * SpiffeID resources: each change queues the resource for the engine, which decides, writes and
 * records an outcome; when the outcome changes the resource is reconciled again and its status
 * (entry ID, Ready condition) is written, only on change. A finalizer keeps the resource until its
 * entry is gone. Never waits: a deletion still in progress is rescheduled.
 *
 * <p>{@code status.entryId} is written here and never trusted on its own: the entry a SpiffeID owns
 * is the one with its own marked ID ({@link EntryIds}), or, with {@code
 * adopt_upstream_spiffeid_entries}, the upstream entry the status names if that entry grants no
 * more than the SpiffeID asks for ({@code reconcile.Ownership#isUpstreamEntryOf}). A status naming
 * any other entry (forged, or restored by a backup tool) is cleared and the condition says so; that
 * entry is left alone.
 */
@ControllerConfiguration(name = SpiffeIdController.NAME, generationAwareEventProcessing = false)
public final class SpiffeIdController implements Reconciler<SpiffeID>, Cleaner<SpiffeID> {

  public static final String NAME = "spiffeids";
  private static final long CLEANUP_RECHECK_MS = 5_000;

  private final Registrar registrar;
  private final EntryIds ids;
  private final InformerClusterView view;
  private final SimpleInboundEventSource<SpiffeID> outcomeEvents = new SimpleInboundEventSource<>();

  public SpiffeIdController(Registrar registrar, EntryIds ids, InformerClusterView view) {
    this.registrar = registrar;
    this.ids = ids;
    this.view = view;
    registrar.outcomes().onChange(this::outcomeChanged);
  }

  private void outcomeChanged(Subject subject) {
    if (subject instanceof SpiffeIdKey k) {
      outcomeEvents.propagateEvent(new ResourceID(k.name(), k.namespace()));
    } else if (subject instanceof PodKey k) {
      outcomeEvents.propagateEvent(new ResourceID(k.name(), k.namespace()));
    }
  }

  @Override
  public List<EventSource<?, SpiffeID>> prepareEventSources(EventSourceContext<SpiffeID> context) {
    view.attachSpiffeIds(context.getPrimaryCache());
    return List.of(outcomeEvents);
  }

  @Override
  public UpdateControl<SpiffeID> reconcile(SpiffeID resource, Context<SpiffeID> context) {
    SpiffeIdKey key = keyOf(resource);
    registrar.changed(key);
    Optional<PodKey> mirrored = PodMirrors.mirroredPod(resource, view::pod);
    Optional<SubjectOutcome> outcome =
        registrar.outcomes().get(mirrored.isPresent() ? mirrored.get() : key);
    if (outcome.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    SpiffeIDStatus current =
        resource.getStatus() == null ? new SpiffeIDStatus() : resource.getStatus();
    SpiffeIDStatus next = statusFor(resource, current, outcome.get(), mirrored.isPresent());
    if (next.equals(resource.getStatus())) {
      return UpdateControl.noUpdate();
    }
    SpiffeID patch = new SpiffeID();
    patch.setMetadata(resource.getMetadata());
    patch.setSpec(resource.getSpec());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch);
  }

  @Override
  public DeleteControl cleanup(SpiffeID resource, Context<SpiffeID> context) {
    SpiffeIdKey key = keyOf(resource);
    registrar.changed(key);
    Optional<SubjectOutcome> outcome = registrar.outcomes().get(key);
    if (outcome.isPresent()
        && outcome.get().entries().isEmpty()
        && "NotRegistered".equals(outcome.get().reason())) {
      registrar.outcomes().forget(key);
      return DeleteControl.defaultDelete();
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_RECHECK_MS);
  }

  private static SpiffeIdKey keyOf(SpiffeID resource) {
    return new SpiffeIdKey(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  private SpiffeIDStatus statusFor(
      SpiffeID resource, SpiffeIDStatus current, SubjectOutcome o, boolean mirror) {
    SpiffeIDStatus next = new SpiffeIDStatus();
    String entryId = o.entryId().orElse(null);
    next.setEntryId(entryId);
    next.setObservedGeneration(resource.getMetadata().getGeneration());
    Condition previous =
        current.getConditions() == null
            ? null
            : current.getConditions().stream()
                .filter(c -> SpiffeIDStatus.READY.equals(c.getType()))
                .findFirst()
                .orElse(null);
    String message = o.message();
    String claimed = current.getEntryId();
    if (!mirror
        && claimed != null
        && !claimed.equals(entryId)
        && !claimed.equals(ids.idFor(keyOf(resource)))) {
      message +=
          "; status.entryId named entry "
              + claimed
              + ", which this operator did not create for this SpiffeID: the claim was cleared and"
              + " that entry left alone";
    } else if (previous != null
        && Objects.equals(o.reason(), previous.getReason())
        && previous.getMessage() != null
        && previous.getMessage().startsWith(message + "; status.entryId named entry ")) {
      message = previous.getMessage();
    }
    String state = o.ready() ? "True" : "False";
    boolean same =
        previous != null
            && state.equals(previous.getStatus())
            && Objects.equals(o.reason(), previous.getReason())
            && Objects.equals(message, previous.getMessage())
            && Objects.equals(
                resource.getMetadata().getGeneration(), previous.getObservedGeneration());
    next.setConditions(
        List.of(
            same
                ? previous
                : new ConditionBuilder()
                    .withType(SpiffeIDStatus.READY)
                    .withStatus(state)
                    .withReason(o.reason())
                    .withMessage(message)
                    .withObservedGeneration(resource.getMetadata().getGeneration())
                    .withLastTransitionTime(Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"))
                    .build()));
    return next;
  }

  /** How long a deletion waits before it looks again, if no outcome arrives sooner. */
  public static Duration cleanupRecheck() {
    return Duration.ofMillis(CLEANUP_RECHECK_MS);
  }
}
