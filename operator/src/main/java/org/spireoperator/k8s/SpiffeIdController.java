package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.spireoperator.crd.Admission;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDStatus;
import org.spireoperator.crd.TenantRules;
import org.spireoperator.observe.RegistrarMetrics;
import org.spireoperator.reconcile.ClusterView;
import org.spireoperator.reconcile.SpiffeIdSync;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.spire.InvalidSpiffeIdException;
import org.spireoperator.spire.SpiffeId;

/**
 * SpiffeID resources: each admitted resource has exactly one entry, named in {@code
 * status.entryId}; a finalizer removes the entry before the resource goes. Periodic reconciles
 * (every resync period) recreate an entry deleted behind the operator's back. Status shows the
 * entry and a Ready condition; a status write happens only on change.
 */
@ControllerConfiguration(name = SpiffeIdController.NAME, generationAwareEventProcessing = false)
public final class SpiffeIdController implements Reconciler<SpiffeID>, Cleaner<SpiffeID> {

  public static final String NAME = "spiffeids";
  static final String BY_ENTRY_ID = "spire-entry-id";

  private final SpiffeIdSync sync;
  private final TenantRules rules;
  private final ClusterView cluster;
  private final NodeEntries nodeEntries;
  private final KubernetesClient client;
  private final RegistrarMetrics metrics;
  private volatile IndexerResourceCache<SpiffeID> cache;

  public SpiffeIdController(
      SpiffeIdSync sync,
      TenantRules rules,
      ClusterView cluster,
      NodeEntries nodeEntries,
      KubernetesClient client,
      RegistrarMetrics metrics) {
    this.sync = sync;
    this.rules = rules;
    this.cluster = cluster;
    this.nodeEntries = nodeEntries;
    this.client = client;
    this.metrics = metrics;
  }

  /**
   * Entry IDs that belong to SpiffeID resources: the pod registrar never takes them for its own.
   */
  public Predicate<String> claimedEntries() {
    return id -> {
      IndexerResourceCache<SpiffeID> c = cache;
      return c != null && !c.byIndex(BY_ENTRY_ID, id).isEmpty();
    };
  }

  @Override
  public List<EventSource<?, SpiffeID>> prepareEventSources(EventSourceContext<SpiffeID> context) {
    IndexerResourceCache<SpiffeID> primary = context.getPrimaryCache();
    primary.addIndexers(
        Map.of(
            BY_ENTRY_ID,
            s ->
                s.getStatus() == null || s.getStatus().getEntryId() == null
                    ? List.of()
                    : List.of(s.getStatus().getEntryId())));
    this.cache = primary;
    return List.of();
  }

  @Override
  public UpdateControl<SpiffeID> reconcile(SpiffeID resource, Context<SpiffeID> context) {
    String name = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    SpiffeIDStatus status =
        resource.getStatus() == null ? new SpiffeIDStatus() : resource.getStatus();
    Admission admission = rules.admit(resource, nodeEntryIds());
    SpiffeIdSync.Outcome outcome = sync.sync(name, admission, status.getEntryId());
    metrics.wroteSpiffeId(outcome.created(), outcome.updated(), outcome.deleted());
    SpiffeIDStatus next = statusFor(resource, status, outcome);
    if (next.equals(resource.getStatus())) {
      return UpdateControl.noUpdate();
    }
    if (!outcome.ready()) {
      event(resource, outcome.reason(), outcome.message());
    }
    SpiffeID patch = new SpiffeID();
    patch.setMetadata(resource.getMetadata());
    patch.setSpec(resource.getSpec());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch);
  }

  @Override
  public DeleteControl cleanup(SpiffeID resource, Context<SpiffeID> context) {
    String entryId = resource.getStatus() == null ? null : resource.getStatus().getEntryId();
    if (entryId != null) {
      int deleted =
          sync.delete(
              resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName(),
              entryId);
      metrics.wroteSpiffeId(0, 0, deleted);
    }
    return DeleteControl.defaultDelete();
  }

  private Set<SpiffeId> nodeEntryIds() {
    Set<SpiffeId> ids = new HashSet<>();
    for (String node : cluster.nodeNames()) {
      try {
        ids.add(nodeEntries.idFor(node));
      } catch (InvalidSpiffeIdException e) {
        // such a node has no entry
      }
    }
    return ids;
  }

  private static SpiffeIDStatus statusFor(
      SpiffeID resource, SpiffeIDStatus current, SpiffeIdSync.Outcome o) {
    SpiffeIDStatus next = new SpiffeIDStatus();
    next.setEntryId(o.entryId());
    next.setObservedGeneration(resource.getMetadata().getGeneration());
    Condition previous =
        current.getConditions() == null
            ? null
            : current.getConditions().stream()
                .filter(c -> SpiffeIDStatus.READY.equals(c.getType()))
                .findFirst()
                .orElse(null);
    String state = o.ready() ? "True" : "False";
    boolean same =
        previous != null
            && state.equals(previous.getStatus())
            && Objects.equals(o.reason(), previous.getReason())
            && Objects.equals(o.message(), previous.getMessage())
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
                    .withMessage(o.message())
                    .withObservedGeneration(resource.getMetadata().getGeneration())
                    .withLastTransitionTime(Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"))
                    .build()));
    return next;
  }

  private void event(SpiffeID resource, String reason, String message) {
    var meta = resource.getMetadata();
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(meta.getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withNamespace(meta.getNamespace())
                  .withName(meta.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(SpiffeID.GROUP + "/" + SpiffeID.VERSION)
                  .withKind(SpiffeID.KIND)
                  .withNamespace(meta.getNamespace())
                  .withName(meta.getName())
                  .withUid(meta.getUid())
                  .endInvolvedObject()
                  .withType("Warning")
                  .withReason(reason)
                  .withMessage(
                      message.length() > 1000 ? message.substring(0, 997) + "..." : message)
                  .withNewSource()
                  .withComponent("spire-k8s-registrar")
                  .endSource()
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // an Event is best effort; the status condition carries the same message
    }
  }
}
