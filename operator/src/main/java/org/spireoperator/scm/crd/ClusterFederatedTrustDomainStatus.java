package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.spireoperator.crd.ConditionSchema;

/**
 * The status of a {@link ClusterFederatedTrustDomain} (spire-controller-manager's is empty): the
 * trust domain whose relationship the operator manages for it, and a {@code Ready} condition.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"managedTrustDomain", "conditions"})
public class ClusterFederatedTrustDomainStatus {

  @JsonProperty("managedTrustDomain")
  @JsonPropertyDescription(
      "Trust domain whose SPIRE federation relationship the operator created (or found equal to "
          + "the spec and adopted) for this object. The operator updates and deletes only "
          + "relationships recorded here.")
  private String managedTrustDomain;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonProperty("conditions")
  @JsonPropertyDescription(
      "Latest observations. Ready is True when the SPIRE server has the relationship as "
          + "declared; when False, reason and message say why (InvalidSpec, "
          + "DuplicateTrustDomain, RelationshipConflict, SpireError).")
  private List<Condition> conditions;

  public ClusterFederatedTrustDomainStatus() {}

  public String getManagedTrustDomain() {
    return managedTrustDomain;
  }

  public void setManagedTrustDomain(String managedTrustDomain) {
    this.managedTrustDomain = managedTrustDomain;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? null : new ArrayList<>(conditions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterFederatedTrustDomainStatus s
        && Objects.equals(managedTrustDomain, s.managedTrustDomain)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(managedTrustDomain, conditions);
  }

  @Override
  public String toString() {
    return "ClusterFederatedTrustDomainStatus{managedTrustDomain="
        + managedTrustDomain
        + ", conditions="
        + conditions
        + "}";
  }
}
