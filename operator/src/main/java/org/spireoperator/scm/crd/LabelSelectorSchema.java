package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * Schema of a Kubernetes label selector ({@code podSelector}, {@code namespaceSelector}) in the
 * generated CRDs, with the required fields of Kubernetes' own. The Java model is fabric8's {@link
 * io.fabric8.kubernetes.api.model.LabelSelector}; only the CRD generator reads this class.
 */
public final class LabelSelectorSchema {

  @JsonProperty("matchLabels")
  @JsonPropertyDescription(
      "Labels an object must carry with exactly these values; each pair is the same as an In "
          + "requirement with one value. All requirements must hold.")
  private Map<String, String> matchLabels;

  @JsonProperty("matchExpressions")
  @JsonPropertyDescription("Label requirements; all must hold.")
  private List<LabelSelectorRequirementSchema> matchExpressions;

  private LabelSelectorSchema() {}
}
