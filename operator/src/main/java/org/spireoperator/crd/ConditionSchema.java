package org.spireoperator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Schema of one item of {@code status.conditions} in the generated CRDs of both APIs: the fields of
 * a fabric8 {@link io.fabric8.kubernetes.api.model.Condition} that are stored. Never instantiated;
 * only the CRD generator reads it.
 */
public final class ConditionSchema {

  @Required
  @JsonProperty("type")
  @JsonPropertyDescription(
      "Kind of observation; Ready tells whether SPIRE holds what the object asks for.")
  private String type;

  @Required
  @Pattern("^(True|False|Unknown)$")
  @JsonProperty("status")
  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonProperty("reason")
  @JsonPropertyDescription(
      "CamelCase reason for the status, e.g. InvalidSpec, ParentNotAllowed or SpireError.")
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
