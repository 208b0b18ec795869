package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.spireoperator.crd.ConditionSchema;

/**
 * The status of a {@link ClusterStaticEntry}: spire-controller-manager's {@code rendered}, {@code
 * masked} and {@code set} (required, as in its CRD), plus {@code conditions} (type {@code Ready}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"rendered", "masked", "set", "conditions"})
public class ClusterStaticEntryStatus {

  @Required
  @JsonProperty("rendered")
  @JsonPropertyDescription("Whether the spec made a valid entry.")
  private boolean rendered;

  @Required
  @JsonProperty("masked")
  @JsonPropertyDescription(
      "Whether an older ClusterStaticEntry or ClusterSPIFFEID declares the same entry (same SPIFFE "
          + "ID, parent and selectors), so this one is not set.")
  private boolean masked;

  @Required
  @JsonProperty("set")
  @JsonPropertyDescription("Whether the entry is in SPIRE as declared.")
  private boolean set;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonProperty("conditions")
  @JsonPropertyDescription(
      "Latest observations. Ready is True when the entry is in SPIRE; when False, reason and "
          + "message say why (InvalidSpec, Masked, SpireError).")
  private List<Condition> conditions;

  public ClusterStaticEntryStatus() {}

  public ClusterStaticEntryStatus(boolean rendered, boolean masked, boolean set) {
    this.rendered = rendered;
    this.masked = masked;
    this.set = set;
  }

  public boolean isRendered() {
    return rendered;
  }

  public void setRendered(boolean rendered) {
    this.rendered = rendered;
  }

  public boolean isMasked() {
    return masked;
  }

  public void setMasked(boolean masked) {
    this.masked = masked;
  }

  public boolean isSet() {
    return set;
  }

  public void setSet(boolean set) {
    this.set = set;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? null : new ArrayList<>(conditions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterStaticEntryStatus s
        && rendered == s.rendered
        && masked == s.masked
        && set == s.set
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rendered, masked, set, conditions);
  }

  @Override
  public String toString() {
    return "ClusterStaticEntryStatus{rendered="
        + rendered
        + ", masked="
        + masked
        + ", set="
        + set
        + ", conditions="
        + conditions
        + "}";
  }
}
