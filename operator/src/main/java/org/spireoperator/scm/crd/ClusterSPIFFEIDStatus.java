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
 * The status of a {@link ClusterSPIFFEID}: spire-controller-manager's {@code stats}, plus {@code
 * conditions} (type {@code Ready}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"stats", "conditions"})
public class ClusterSPIFFEIDStatus {

  @JsonProperty("stats")
  @JsonPropertyDescription("Counters of the last reconciliation, as spire-controller-manager's.")
  private ClusterSPIFFEIDStats stats = new ClusterSPIFFEIDStats();

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonProperty("conditions")
  @JsonPropertyDescription(
      "Latest observations. Ready is True when every entry to set is in SPIRE; when False, "
          + "reason and message say why (InvalidSpec, RenderFailures, SpireError).")
  private List<Condition> conditions;

  public ClusterSPIFFEIDStatus() {}

  public ClusterSPIFFEIDStats getStats() {
    return stats;
  }

  public void setStats(ClusterSPIFFEIDStats stats) {
    this.stats = stats;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? null : new ArrayList<>(conditions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSPIFFEIDStatus s
        && Objects.equals(stats, s.stats)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stats, conditions);
  }

  @Override
  public String toString() {
    return "ClusterSPIFFEIDStatus{stats=" + stats + ", conditions=" + conditions + "}";
  }
}
