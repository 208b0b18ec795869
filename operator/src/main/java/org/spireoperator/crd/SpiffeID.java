package org.spireoperator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A {@code SpiffeID} custom resource ({@code spiffeid.spiffe.io/v1beta1}): one SPIRE registration
 * entry, declared in a namespace. Group, version, kind, names and spec fields are those of the
 * retired {@code k8s-workload-registrar}'s CRD mode, so its manifests apply unchanged.
 */
@Group(SpiffeID.GROUP)
@Version(SpiffeID.VERSION)
@Kind(SpiffeID.KIND)
@Plural("spiffeids")
@Singular("spiffeid")
@ShortNames({"sid"})
@AdditionalPrinterColumn(
    name = "SPIFFE ID",
    jsonPath = ".spec.spiffeId",
    getDescription = "SPIFFE ID the workload receives")
@AdditionalPrinterColumn(
    name = "Parent",
    jsonPath = ".spec.parentId",
    getDescription = "SPIFFE ID of the parent agent or node entry")
@AdditionalPrinterColumn(
    name = "Entry",
    jsonPath = ".status.entryId",
    getDescription = "ID of the SPIRE registration entry")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    getDescription = "Whether the SPIRE entry matches the spec")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class SpiffeID extends CustomResource<SpiffeIDSpec, SpiffeIDStatus> implements Namespaced {

  public static final String GROUP = "spiffeid.spiffe.io";
  public static final String VERSION = "v1beta1";
  public static final String KIND = "SpiffeID";

  /** Name of the CRD and of the generated YAML file's stem. */
  public static final String CRD_NAME = "spiffeids." + GROUP;

  public SpiffeID() {}

  @Override
  @JsonPropertyDescription(
      "The SPIRE registration entry wanted: SPIFFE ID, parent ID, selectors and options.")
  public SpiffeIDSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed: the SPIRE entry ID and whether it matches the spec.")
  public SpiffeIDStatus getStatus() {
    return super.getStatus();
  }
}
