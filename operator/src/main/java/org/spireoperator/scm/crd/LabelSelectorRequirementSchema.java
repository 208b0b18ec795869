package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Schema of one {@code matchExpressions} item; see {@link LabelSelectorSchema}. */
public final class LabelSelectorRequirementSchema {

  /** The four operators Kubernetes accepts in a label selector, exactly spelled. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  @Required
  @JsonProperty("key")
  @JsonPropertyDescription("The label key the requirement applies to.")
  private String key;

  @Required
  @JsonProperty("operator")
  @JsonPropertyDescription(
      "In (the label has one of the values), NotIn (the label is absent or has none of them), "
          + "Exists or DoesNotExist.")
  private Operator operator;

  @JsonProperty("values")
  @JsonPropertyDescription(
      "Values for In and NotIn (at least one); empty for Exists and DoesNotExist.")
  private List<String> values;

  private LabelSelectorRequirementSchema() {}
}
