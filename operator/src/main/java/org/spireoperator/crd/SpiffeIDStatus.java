package org.spireoperator.crd;

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

/**
 * What the operator observed for a {@link SpiffeID}. {@code entryId} has the upstream name and
 * meaning (the ID of the SPIRE registration entry); {@code observedGeneration} and {@code
 * conditions} are additions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"entryId", "observedGeneration", "conditions"})
public class SpiffeIDStatus {

  /** Condition type that is {@code True} when the SPIRE entry matches the spec. */
  public static final String READY = "Ready";

  @JsonProperty("entryId")
  @JsonPropertyDescription("ID of the SPIRE registration entry created for this SpiffeID.")
  private String entryId;

  @JsonProperty("observedGeneration")
  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonProperty("conditions")
  @JsonPropertyDescription(
      "Latest observations. Type Ready is True when the SPIRE entry matches the spec; when "
          + "False, its reason and message say why (invalid spec, forbidden by the tenant rules, SPIRE server error).")
  private List<Condition> conditions;

  public SpiffeIDStatus() {}

  public String getEntryId() {
    return entryId;
  }

  public void setEntryId(String entryId) {
    this.entryId = entryId;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? null : new ArrayList<>(conditions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiffeIDStatus s
        && Objects.equals(entryId, s.entryId)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(entryId, observedGeneration, conditions);
  }

  @Override
  public String toString() {
    return "SpiffeIDStatus{entryId="
        + entryId
        + ", observedGeneration="
        + observedGeneration
        + ", conditions="
        + conditions
        + "}";
  }
}
