package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A {@code ClusterStaticEntry} ({@code spire.spiffe.io/v1alpha1}, cluster-scoped): one SPIRE
 * registration entry written out in full, typically for a workload outside the cluster. Names and
 * fields are spire-controller-manager's.
 */
@Group(ScmApi.GROUP)
@Version(ScmApi.VERSION)
@Kind(ClusterStaticEntry.KIND)
@Plural("clusterstaticentries")
@Singular("clusterstaticentry")
@AdditionalPrinterColumn(
    name = "SPIFFE ID",
    jsonPath = ".spec.spiffeID",
    getDescription = "SPIFFE ID of the entry")
@AdditionalPrinterColumn(
    name = "Parent",
    jsonPath = ".spec.parentID",
    getDescription = "Parent ID of the entry")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    getDescription = "Whether the entry is in SPIRE")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ClusterStaticEntry
    extends CustomResource<ClusterStaticEntrySpec, ClusterStaticEntryStatus> {

  public static final String KIND = "ClusterStaticEntry";

  /** Name of the CRD and stem of the generated YAML file. */
  public static final String CRD_NAME = "clusterstaticentries." + ScmApi.GROUP;

  public ClusterStaticEntry() {}

  @Override
  @Required
  @JsonPropertyDescription("The registration entry: SPIFFE ID, parent ID, selectors and options.")
  public ClusterStaticEntrySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Whether the entry rendered, was masked by an older object and is set in SPIRE, and a "
          + "Ready condition.")
  public ClusterStaticEntryStatus getStatus() {
    return super.getStatus();
  }
}
