package org.spireoperator.scm.federation;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomain;
import org.spireoperator.scm.crd.ClusterFederatedTrustDomainStatus;
import org.spireoperator.scm.entries.ClassRule;
import org.spireoperator.scm.entries.Readiness;
import org.spireoperator.scm.entries.SpecValues;
import org.spireoperator.spire.DeleteOutcome;
import org.spireoperator.spire.FederationOutcome;
import org.spireoperator.spire.FederationRelationship;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireException;

/**
 * Keeps the SPIRE server's federation relationships equal to the ClusterFederatedTrustDomains of
 * the operator's class: creates, updates and (through a finalizer) deletes them, and reports a
 * {@code Ready} condition.
 *
 * <h2>Ownership</h2>
 *
 * SPIRE's relationships carry no mark of who made them (no ID, prefix or label; the trust domain is
 * their only key), so ownership is recorded on our side: a ClusterFederatedTrustDomain's {@code
 * status.managedTrustDomain} names the trust domain whose relationship the operator created for it,
 * or adopted because the server already had it exactly as declared (same endpoint URL and profile).
 * The operator updates or deletes a relationship only when a ClusterFederatedTrustDomain of its
 * class records it. A relationship nobody records that differs from the spec belongs to someone
 * else (the server's configuration, {@code spire-server federation create}, another controller): it
 * is left alone and the object reports {@code Ready=False}, reason {@code RelationshipConflict};
 * deleting it or making the spec equal resolves that. Relationships of trust domains no object
 * declares are never touched (spire-controller-manager, unlike this, deletes them). Losing the
 * status (a restore without status) is safe: a relationship equal to its spec is adopted again, a
 * different one is reported, none is deleted by mistake. Whoever may write {@code
 * clusterfederatedtrustdomains/status} can claim a relationship: grant it like the CRD.
 *
 * <h2>Semantics kept from spire-controller-manager</h2>
 *
 * Class rule as for the other resources ({@link ClassRule}); several objects declaring one trust
 * domain: the oldest (creation time, then UID) wins, the others report {@code
 * DuplicateTrustDomain}; the declared bundle is written when the relationship is created and not
 * compared afterwards (the server refreshes it from the endpoint), so an update changes URL and
 * profile only, and writes the declared bundle only when the server holds none for the trust domain
 * (as spire-controller-manager's update does; an {@code https_spiffe} endpoint cannot be
 * authenticated without it).
 *
 * <h2>Wiring (for the operator's assembly)</h2>
 *
 * Register with {@code withGenericFilter(reconciler.eventFilter())} (objects of the class, and
 * those still carrying this controller's finalizer so it can let go of them) and without {@code
 * withReconciliationMaxInterval}: the reconciler reschedules the objects it handles every {@code
 * resync} itself (a relationship deleted behind its back is recreated then) and none of the others.
 */
@ControllerConfiguration(name = ClusterFederatedTrustDomainReconciler.NAME)
public final class ClusterFederatedTrustDomainReconciler
    implements Reconciler<ClusterFederatedTrustDomain>, Cleaner<ClusterFederatedTrustDomain> {

  public static final String NAME = "clusterfederatedtrustdomains";

  public static final String FEDERATED = "Federated";
  public static final String DUPLICATE_TRUST_DOMAIN = "DuplicateTrustDomain";
  public static final String RELATIONSHIP_CONFLICT = "RelationshipConflict";

  private static final Logger LOG =
      LoggerFactory.getLogger(ClusterFederatedTrustDomainReconciler.class);

  private final SpireClient spire;
  private final String serverTrustDomain;
  private final ClassRule classRule;
  private final Duration resync;
  private final Duration retry;
  private final Clock clock;

  /**
   * @param serverTrustDomain the SPIRE server's own trust domain (never federated with)
   * @param resync how often a handled object is checked against the server again
   * @param retry how soon after a SPIRE error the object is tried again
   */
  public ClusterFederatedTrustDomainReconciler(
      SpireClient spire,
      String serverTrustDomain,
      ClassRule classRule,
      Duration resync,
      Duration retry,
      Clock clock) {
    this.spire = Objects.requireNonNull(spire, "spire");
    this.serverTrustDomain = Objects.requireNonNull(serverTrustDomain, "serverTrustDomain");
    this.classRule = Objects.requireNonNull(classRule, "classRule");
    this.resync = Objects.requireNonNull(resync, "resync");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The events this controller needs: objects of its class, or still carrying a finalizer. */
  public GenericFilter<ClusterFederatedTrustDomain> eventFilter() {
    return r -> handles(r) || !r.getMetadata().getFinalizers().isEmpty();
  }

  private boolean handles(ClusterFederatedTrustDomain r) {
    return classRule.handles(r.getSpec() == null ? null : r.getSpec().getClassName());
  }

  @Override
  public UpdateControl<ClusterFederatedTrustDomain> reconcile(
      ClusterFederatedTrustDomain resource, Context<ClusterFederatedTrustDomain> context) {
    if (!handles(resource)) {
      release(resource, context);
      return UpdateControl.noUpdate();
    }
    ClusterFederatedTrustDomainStatus current =
        resource.getStatus() == null
            ? new ClusterFederatedTrustDomainStatus()
            : resource.getStatus();
    Result result = decide(resource, current.getManagedTrustDomain(), others(resource, context));
    ClusterFederatedTrustDomainStatus next = new ClusterFederatedTrustDomainStatus();
    next.setManagedTrustDomain(result.managed());
    next.setConditions(
        List.of(
            result
                .readiness()
                .toCondition(
                    resource.getMetadata().getGeneration(),
                    current.getConditions(),
                    clock.instant())));
    Duration after = result.retrySoon() ? retry : resync;
    if (next.equals(resource.getStatus())) {
      return UpdateControl.<ClusterFederatedTrustDomain>noUpdate().rescheduleAfter(after);
    }
    ClusterFederatedTrustDomain patch = new ClusterFederatedTrustDomain();
    patch.setMetadata(resource.getMetadata());
    patch.setSpec(resource.getSpec());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch).rescheduleAfter(after);
  }

  @Override
  public DeleteControl cleanup(
      ClusterFederatedTrustDomain resource, Context<ClusterFederatedTrustDomain> context) {
    String managed =
        resource.getStatus() == null ? null : resource.getStatus().getManagedTrustDomain();
    if (managed == null || !handles(resource)) {
      return DeleteControl.defaultDelete();
    }
    if (declaredByAnother(managed, others(resource, context))) {
      LOG.info(
          "leaving the federation relationship with {} to another ClusterFederatedTrustDomain that"
              + " declares it (deleted: {})",
          managed,
          resource.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    try {
      DeleteOutcome outcome = spire.deleteFederationRelationships(List.of(managed)).get(0);
      if (!outcome.deleted()) {
        LOG.warn(
            "cannot delete the federation relationship with {}: {} {}",
            managed,
            outcome.code(),
            outcome.message());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry.toMillis());
      }
      LOG.info("deleted the federation relationship with {}", managed);
      return DeleteControl.defaultDelete();
    } catch (SpireException e) {
      LOG.warn("cannot delete the federation relationship with {}: {}", managed, e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry.toMillis());
    }
  }

  // ------------------------------------------------------------------ deciding

  /** The status to write: which trust domain is managed, readiness, and whether to retry soon. */
  private record Result(String managed, Readiness readiness, boolean retrySoon) {}

  private Result decide(
      ClusterFederatedTrustDomain resource,
      String managed,
      List<ClusterFederatedTrustDomain> others) {
    Outcome<FederationRelationship> declared =
        FederationSpecs.parse(resource.getSpec(), serverTrustDomain);
    if (!declared.isOk()) {
      return new Result(
          managed, new Readiness(false, Readiness.INVALID_SPEC, declared.failure()), false);
    }
    FederationRelationship desired = declared.orElseThrow();
    String td = desired.trustDomain();
    try {
      if (managed != null && !managed.equals(td)) {
        letGo(managed, others);
        managed = null;
      }
      Optional<ClusterFederatedTrustDomain> winner = olderDeclaring(resource, td, others);
      if (winner.isPresent()) {
        return new Result(
            null,
            new Readiness(
                false,
                DUPLICATE_TRUST_DOMAIN,
                "ClusterFederatedTrustDomain "
                    + winner.get().getMetadata().getName()
                    + " is older and declares the trust domain "
                    + td),
            false);
      }
      boolean owned = td.equals(managed) || recordedByAnother(td, others);
      FederationRelationship existing = spire.getFederationRelationship(td).orElse(null);
      return apply(FederationDecision.decide(desired, existing, owned), td, managed);
    } catch (SpireException e) {
      return new Result(managed, new Readiness(false, Readiness.SPIRE_ERROR, e.getMessage()), true);
    }
  }

  private Result apply(FederationDecision decision, String td, String managed) {
    if (decision instanceof FederationDecision.Create create) {
      FederationOutcome o =
          spire.createFederationRelationships(List.of(create.relationship())).get(0);
      if (!o.succeeded()) {
        return new Result(managed, refused("create", o), true);
      }
      LOG.info("created the federation relationship with {}", td);
      return new Result(td, federated("created"), false);
    }
    if (decision instanceof FederationDecision.Update update) {
      FederationOutcome o =
          spire.updateFederationRelationships(List.of(update.relationship())).get(0);
      if (!o.succeeded()) {
        return new Result(td, refused("update", o), true);
      }
      LOG.info("updated the federation relationship with {}", td);
      return new Result(td, federated("updated"), false);
    }
    if (decision instanceof FederationDecision.Keep keep) {
      if (keep.adopted()) {
        LOG.info("adopted the existing federation relationship with {} (equal to the spec)", td);
      }
      return new Result(
          td,
          federated(keep.adopted() ? "adopted (it was already as declared)" : "as declared"),
          false);
    }
    FederationRelationship existing = ((FederationDecision.Conflict) decision).existing();
    return new Result(
        null,
        new Readiness(
            false,
            RELATIONSHIP_CONFLICT,
            "the SPIRE server has a relationship with "
                + td
                + " that this operator did not create ("
                + existing.profile().name()
                + " "
                + existing.bundleEndpointUrl()
                + "); delete it (spire-server federation delete -id "
                + td
                + ") or make the spec equal to it to adopt it"),
        false);
  }

  /** Deletes the relationship this object managed before its trust domain changed. */
  private void letGo(String managed, List<ClusterFederatedTrustDomain> others) {
    if (declaredByAnother(managed, others) || recordedByAnother(managed, others)) {
      return;
    }
    DeleteOutcome o = spire.deleteFederationRelationships(List.of(managed)).get(0);
    if (!o.deleted()) {
      throw new SpireException(
          "BatchDeleteFederationRelationship", o.code(), managed, o.message(), null);
    }
    LOG.info("deleted the federation relationship with {} (the trust domain changed)", managed);
  }

  private static Readiness federated(String how) {
    return new Readiness(true, FEDERATED, "the federation relationship is " + how);
  }

  private static Readiness refused(String what, FederationOutcome o) {
    return new Readiness(
        false,
        Readiness.SPIRE_ERROR,
        "the SPIRE server refused to "
            + what
            + " the relationship: "
            + o.code()
            + " "
            + o.message());
  }

  // ------------------------------------------------------------------ the other objects

  /** The other objects of this controller's class, not being deleted. */
  private List<ClusterFederatedTrustDomain> others(
      ClusterFederatedTrustDomain self, Context<ClusterFederatedTrustDomain> context) {
    return context
        .getPrimaryCache()
        .list()
        .filter(o -> !o.getMetadata().getName().equals(self.getMetadata().getName()))
        .filter(this::handles)
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static Optional<ClusterFederatedTrustDomain> olderDeclaring(
      ClusterFederatedTrustDomain self, String td, List<ClusterFederatedTrustDomain> others) {
    Comparator<ClusterFederatedTrustDomain> age =
        Comparator.comparing((ClusterFederatedTrustDomain o) -> created(o))
            .thenComparing(o -> String.valueOf(o.getMetadata().getUid()));
    return others.stream()
        .filter(o -> td.equals(declaredTrustDomain(o)))
        .filter(o -> age.compare(o, self) < 0)
        .min(age);
  }

  private static java.time.Instant created(ClusterFederatedTrustDomain o) {
    String t = o.getMetadata().getCreationTimestamp();
    try {
      return t == null ? java.time.Instant.MIN : java.time.OffsetDateTime.parse(t).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return java.time.Instant.MIN;
    }
  }

  private static String declaredTrustDomain(ClusterFederatedTrustDomain o) {
    if (o.getSpec() == null) {
      return null;
    }
    Outcome<String> td = SpecValues.trustDomain(o.getSpec().getTrustDomain());
    return td.isOk() ? td.orElseThrow() : null;
  }

  private static boolean declaredByAnother(String td, List<ClusterFederatedTrustDomain> others) {
    return others.stream().anyMatch(o -> td.equals(declaredTrustDomain(o)));
  }

  private static boolean recordedByAnother(String td, List<ClusterFederatedTrustDomain> others) {
    return others.stream()
        .anyMatch(o -> o.getStatus() != null && td.equals(o.getStatus().getManagedTrustDomain()));
  }

  /** Lets go of an object that left the class: no relationship is touched, the finalizer goes. */
  private void release(
      ClusterFederatedTrustDomain resource, Context<ClusterFederatedTrustDomain> context) {
    String finalizer = context.getControllerConfiguration().getFinalizerName();
    if (!resource.hasFinalizer(finalizer)) {
      return;
    }
    try {
      context
          .getClient()
          .resource(resource)
          .edit(
              r -> {
                r.removeFinalizer(finalizer);
                return r;
              });
      LOG.info(
          "ClusterFederatedTrustDomain {} left this controller's class; its relationship is left"
              + " to the controller of its class",
          resource.getMetadata().getName());
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot remove the finalizer of {}: {}",
          resource.getMetadata().getName(),
          e.getMessage());
    }
  }
}
