package org.spireoperator.webhook;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.spireoperator.crd.Admission;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIdRules;
import org.spireoperator.tenancy.TenantConfinement;

/**
 * The optional validating webhook for SpiffeID resources ({@code webhook_enabled = true} in crd
 * mode): the same rules the controller applies, so a violating object is refused at {@code kubectl
 * apply} time with the same message it would otherwise get in its status. The controller checks
 * again whatever the webhook let through (the webhook is a convenience, not the guard), so while
 * the operator's caches are still cold the webhook allows rather than judge from an empty node set.
 */
public final class SpiffeIdAdmission implements AdmissionEndpoint.Decider {

  private final SpiffeIdRules rules;
  private final Supplier<TenantConfinement.Parents> parents;
  private final BooleanSupplier synced;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public SpiffeIdAdmission(
      SpiffeIdRules rules, Supplier<TenantConfinement.Parents> parents, BooleanSupplier synced) {
    this.rules = rules;
    this.parents = parents;
    this.synced = synced;
  }

  @Override
  public String deny(AdmissionRequest request) {
    if (request.getObject() == null
        || "DELETE".equals(request.getOperation())
        || !synced.getAsBoolean()) {
      return null;
    }
    SpiffeID resource = json.convertValue(request.getObject(), SpiffeID.class);
    if (resource.getMetadata() != null && resource.getMetadata().getNamespace() == null) {
      resource.getMetadata().setNamespace(request.getNamespace());
    }
    Admission admission = rules.admit(resource, parents.get());
    return admission.isAllowed() ? null : admission.message();
  }
}
