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
 * A {@code ClusterFederatedTrustDomain} ({@code spire.spiffe.io/v1alpha1}, cluster-scoped): a
 * federation relationship of the SPIRE server with a foreign trust domain. Names and fields are
 * spire-controller-manager's.
 */
@Group(ScmApi.GROUP)
@Version(ScmApi.VERSION)
@Kind(ClusterFederatedTrustDomain.KIND)
@Plural("clusterfederatedtrustdomains")
@Singular("clusterfederatedtrustdomain")
@AdditionalPrinterColumn(
    name = "Trust Domain",
    jsonPath = ".spec.trustDomain",
    getDescription = "Foreign trust domain")
@AdditionalPrinterColumn(
    name = "Endpoint URL",
    jsonPath = ".spec.bundleEndpointURL",
    getDescription = "Bundle endpoint of the foreign trust domain")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    getDescription = "Whether the SPIRE server has the federation relationship as declared")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ClusterFederatedTrustDomain
    extends CustomResource<ClusterFederatedTrustDomainSpec, ClusterFederatedTrustDomainStatus> {

  public static final String KIND = "ClusterFederatedTrustDomain";

  /** Name of the CRD and stem of the generated YAML file. */
  public static final String CRD_NAME = "clusterfederatedtrustdomains." + ScmApi.GROUP;

  public ClusterFederatedTrustDomain() {}

  @Override
  @Required
  @JsonPropertyDescription(
      "The federation relationship: foreign trust domain, its bundle endpoint and profile, and "
          + "optionally its bundle.")
  public ClusterFederatedTrustDomainSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Which relationship the operator manages for this object and a Ready condition.")
  public ClusterFederatedTrustDomainStatus getStatus() {
    return super.getStatus();
  }
}
