package org.spireoperator.webhook;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Set;
import java.util.function.Supplier;
import org.spireoperator.crd.Admission;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.TenantRules;
import org.spireoperator.spire.SpiffeId;

/**
 * The optional validating webhook for SpiffeID resources ({@code webhook_enabled = true} in crd
 * mode): the same tenant rules the controller applies, so a violating object is refused at {@code
 * kubectl apply} time with the same message it would otherwise get in its status.
 */
public final class SpiffeIdAdmission implements AdmissionEndpoint.Decider {

  private final TenantRules rules;
  private final Supplier<Set<SpiffeId>> nodeEntryIds;
  private final KubernetesSerialization json = new KubernetesSerialization();

  public SpiffeIdAdmission(TenantRules rules, Supplier<Set<SpiffeId>> nodeEntryIds) {
    this.rules = rules;
    this.nodeEntryIds = nodeEntryIds;
  }

  @Override
  public String deny(AdmissionRequest request) {
    if (request.getObject() == null || "DELETE".equals(request.getOperation())) {
      return null;
    }
    SpiffeID resource = json.convertValue(request.getObject(), SpiffeID.class);
    if (resource.getMetadata() != null && resource.getMetadata().getNamespace() == null) {
      resource.getMetadata().setNamespace(request.getNamespace());
    }
    Admission admission = rules.admit(resource, nodeEntryIds.get());
    return admission.isAllowed() ? null : admission.message();
  }
}
