package org.spireoperator.scm.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Objects;

/**
 * The spec of a {@link ClusterSPIFFEID}: the fields, JSON names and types of
 * spire-controller-manager v0.6.4. Durations are Go duration strings ({@code "1h30m"}); templates
 * are Go text/template source (see {@code org.spireoperator.scm.template}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "spiffeIDTemplate",
  "ttl",
  "jwtTtl",
  "dnsNameTemplates",
  "workloadSelectorTemplates",
  "federatesWith",
  "namespaceSelector",
  "podSelector",
  "admin",
  "downstream",
  "autoPopulateDNSNames",
  "className",
  "fallback",
  "hint"
})
public class ClusterSPIFFEIDSpec {

  @Required
  @JsonProperty("spiffeIDTemplate")
  @JsonPropertyDescription(
      "Template of the SPIFFE ID, e.g. spiffe://{{ .TrustDomain }}/ns/{{ .PodMeta.Namespace }}/sa/"
          + "{{ .PodSpec.ServiceAccountName }}. Data: .TrustDomain, .ClusterName, .ClusterDomain, "
          + ".PodMeta, .PodSpec, .NodeMeta, .NodeSpec (Kubernetes Go field names).")
  private String spiffeIDTemplate;

  @JsonProperty("ttl")
  @JsonPropertyDescription(
      "Upper bound of the X509-SVID lifetime as a Go duration (e.g. 1h); absent means the SPIRE "
          + "server's default.")
  private String ttl;

  @JsonProperty("jwtTtl")
  @JsonPropertyDescription(
      "Upper bound of the JWT-SVID lifetime as a Go duration (e.g. 5m); absent means the SPIRE "
          + "server's default.")
  private String jwtTtl;

  @JsonProperty("dnsNameTemplates")
  @JsonPropertyDescription(
      "Templates of DNS names for the X509-SVID (same data as spiffeIDTemplate); the first DNS "
          + "name becomes the certificate's common name.")
  private List<String> dnsNameTemplates;

  @JsonProperty("workloadSelectorTemplates")
  @JsonPropertyDescription(
      "Templates of further workload selectors, each rendering to type:value (e.g. "
          + "k8s:container-name:{{ .PodMeta.Name }}); added to the k8s:pod-uid selector.")
  private List<String> workloadSelectorTemplates;

  @JsonProperty("federatesWith")
  @JsonPropertyDescription(
      "Trust domains whose bundles the selected workloads also receive; each must be federated "
          + "with the SPIRE server.")
  private List<String> federatesWith;

  @SchemaFrom(type = LabelSelectorSchema.class)
  @JsonProperty("namespaceSelector")
  @JsonPropertyDescription(
      "Label selector of the namespaces whose pods are considered; absent selects every "
          + "namespace.")
  private LabelSelector namespaceSelector;

  @SchemaFrom(type = LabelSelectorSchema.class)
  @JsonProperty("podSelector")
  @JsonPropertyDescription(
      "Label selector of the pods that receive an entry; absent selects every pod of the selected "
          + "namespaces.")
  private LabelSelector podSelector;

  @JsonProperty("admin")
  @JsonPropertyDescription("Whether the SVIDs grant access to the SPIRE server's admin APIs.")
  private Boolean admin;

  @JsonProperty("downstream")
  @JsonPropertyDescription(
      "Whether the entries describe downstream SPIRE servers (SVIDs may sign X.509 CAs).")
  private Boolean downstream;

  @JsonProperty("autoPopulateDNSNames")
  @JsonPropertyDescription(
      "Add the DNS names of every Service whose endpoints include the pod: <service>, "
          + "<service>.<namespace>, <service>.<namespace>.svc and "
          + "<service>.<namespace>.svc.<cluster domain>.")
  private Boolean autoPopulateDNSNames;

  @JsonProperty("className")
  @JsonPropertyDescription(
      "Class of the controller that handles this object; controllers ignore other classes.")
  private String className;

  @JsonProperty("fallback")
  @JsonPropertyDescription(
      "Give a pod this entry only when no ClusterSPIFFEID without fallback gives it one.")
  private Boolean fallback;

  @Size(max = ScmApi.MAX_HINT_LENGTH)
  @JsonProperty("hint")
  @JsonPropertyDescription(
      "Free-form hint given to the workload with the SVID, to tell several SVIDs apart.")
  private String hint;

  public ClusterSPIFFEIDSpec() {}

  public String getSpiffeIDTemplate() {
    return spiffeIDTemplate;
  }

  public void setSpiffeIDTemplate(String spiffeIDTemplate) {
    this.spiffeIDTemplate = spiffeIDTemplate;
  }

  public String getTtl() {
    return ttl;
  }

  public void setTtl(String ttl) {
    this.ttl = ttl;
  }

  public String getJwtTtl() {
    return jwtTtl;
  }

  public void setJwtTtl(String jwtTtl) {
    this.jwtTtl = jwtTtl;
  }

  public List<String> getDnsNameTemplates() {
    return dnsNameTemplates;
  }

  public void setDnsNameTemplates(List<String> dnsNameTemplates) {
    this.dnsNameTemplates = dnsNameTemplates;
  }

  public List<String> getWorkloadSelectorTemplates() {
    return workloadSelectorTemplates;
  }

  public void setWorkloadSelectorTemplates(List<String> workloadSelectorTemplates) {
    this.workloadSelectorTemplates = workloadSelectorTemplates;
  }

  public List<String> getFederatesWith() {
    return federatesWith;
  }

  public void setFederatesWith(List<String> federatesWith) {
    this.federatesWith = federatesWith;
  }

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public LabelSelector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(LabelSelector podSelector) {
    this.podSelector = podSelector;
  }

  public Boolean getAdmin() {
    return admin;
  }

  public void setAdmin(Boolean admin) {
    this.admin = admin;
  }

  public Boolean getDownstream() {
    return downstream;
  }

  public void setDownstream(Boolean downstream) {
    this.downstream = downstream;
  }

  public Boolean getAutoPopulateDNSNames() {
    return autoPopulateDNSNames;
  }

  public void setAutoPopulateDNSNames(Boolean autoPopulateDNSNames) {
    this.autoPopulateDNSNames = autoPopulateDNSNames;
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  public Boolean getFallback() {
    return fallback;
  }

  public void setFallback(Boolean fallback) {
    this.fallback = fallback;
  }

  public String getHint() {
    return hint;
  }

  public void setHint(String hint) {
    this.hint = hint;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSPIFFEIDSpec s
        && Objects.equals(spiffeIDTemplate, s.spiffeIDTemplate)
        && Objects.equals(ttl, s.ttl)
        && Objects.equals(jwtTtl, s.jwtTtl)
        && Objects.equals(dnsNameTemplates, s.dnsNameTemplates)
        && Objects.equals(workloadSelectorTemplates, s.workloadSelectorTemplates)
        && Objects.equals(federatesWith, s.federatesWith)
        && Objects.equals(namespaceSelector, s.namespaceSelector)
        && Objects.equals(podSelector, s.podSelector)
        && Objects.equals(admin, s.admin)
        && Objects.equals(downstream, s.downstream)
        && Objects.equals(autoPopulateDNSNames, s.autoPopulateDNSNames)
        && Objects.equals(className, s.className)
        && Objects.equals(fallback, s.fallback)
        && Objects.equals(hint, s.hint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        spiffeIDTemplate,
        ttl,
        jwtTtl,
        dnsNameTemplates,
        workloadSelectorTemplates,
        federatesWith,
        namespaceSelector,
        podSelector,
        admin,
        downstream,
        autoPopulateDNSNames,
        className,
        fallback,
        hint);
  }

  @Override
  public String toString() {
    return "ClusterSPIFFEIDSpec{spiffeIDTemplate="
        + spiffeIDTemplate
        + ", namespaceSelector="
        + namespaceSelector
        + ", podSelector="
        + podSelector
        + ", className="
        + className
        + ", fallback="
        + fallback
        + "}";
  }
}
