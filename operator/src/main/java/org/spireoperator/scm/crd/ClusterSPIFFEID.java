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
 * A {@code ClusterSPIFFEID} ({@code spire.spiffe.io/v1alpha1}, cluster-scoped): a template that
 * gives every pod it selects a SPIRE registration entry. Group, version, kind, names and every
 * field are those of spire-controller-manager's resource, so its manifests apply unchanged.
 */
@Group(ScmApi.GROUP)
@Version(ScmApi.VERSION)
@Kind(ClusterSPIFFEID.KIND)
@Plural("clusterspiffeids")
@Singular("clusterspiffeid")
@AdditionalPrinterColumn(
    name = "SPIFFE ID Template",
    jsonPath = ".spec.spiffeIDTemplate",
    getDescription = "Template of the SPIFFE ID each selected pod receives")
@AdditionalPrinterColumn(
    name = "Pods",
    jsonPath = ".status.stats.podsSelected",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Pods selected by the last reconciliation")
@AdditionalPrinterColumn(
    name = "Entries",
    jsonPath = ".status.stats.entriesToSet",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Entries this ClusterSPIFFEID sets (selected pods minus failures and masked)")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    getDescription = "Whether every entry of this ClusterSPIFFEID is in SPIRE")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ClusterSPIFFEID extends CustomResource<ClusterSPIFFEIDSpec, ClusterSPIFFEIDStatus> {

  public static final String KIND = "ClusterSPIFFEID";

  /** Name of the CRD and stem of the generated YAML file. */
  public static final String CRD_NAME = "clusterspiffeids." + ScmApi.GROUP;

  public ClusterSPIFFEID() {}

  @Override
  @Required
  @JsonPropertyDescription(
      "Which pods receive an entry (namespace and pod label selectors, className, fallback) and "
          + "the templates and options of their entries.")
  public ClusterSPIFFEIDSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the last reconciliation found: counters as spire-controller-manager reports them and "
          + "a Ready condition.")
  public ClusterSPIFFEIDStatus getStatus() {
    return super.getStatus();
  }
}
