package org.spireoperator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Schema of one entry of {@code status.conditions} in the generated CRD, documenting each field of
 * the fabric8 {@link io.fabric8.kubernetes.api.model.Condition} that is actually stored. Never
 * instantiated; only the CRD generator reads it.
 */
public final class ConditionSchema {

  @Required
  @JsonProperty("type")
  @JsonPropertyDescription(
      "Kind of observation; Ready tells whether the SPIRE entry matches the spec.")
  private String type;

  @Required
  @Pattern("^(True|False|Unknown)$")
  @JsonProperty("status")
  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonProperty("reason")
  @JsonPropertyDescription(
      "CamelCase reason for the status; refusals by the tenant rules use e.g. ParentNotAllowed.")
  private String reason;

  @JsonProperty("message")
  @JsonPropertyDescription(
      "Human-readable explanation: which field or rule is the problem and how to fix it.")
  private String message;

  @JsonProperty("observedGeneration")
  @JsonPropertyDescription("metadata.generation the condition was set for.")
  private Long observedGeneration;

  @JsonProperty("lastTransitionTime")
  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  private ConditionSchema() {}
}
