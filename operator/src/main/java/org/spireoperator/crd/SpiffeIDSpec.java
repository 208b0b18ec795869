package org.spireoperator.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * The registration entry a {@link SpiffeID} asks for. The first six fields are those of the
 * upstream {@code k8s-workload-registrar} CRD (same names, same meaning); {@code ttl}, {@code
 * jwtTtl}, {@code hint}, {@code admin} and {@code storeSvid} are additions, all optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "spiffeId",
  "parentId",
  "selector",
  "dnsNames",
  "federatesWith",
  "downstream",
  "ttl",
  "jwtTtl",
  "hint",
  "admin",
  "storeSvid"
})
public class SpiffeIDSpec {

  /**
   * Schema pattern of {@code spiffeId} and {@code parentId}; the operator checks the full SPIFFE ID
   * rules.
   */
  public static final String SPIFFE_ID_PATTERN = "^spiffe://[a-z0-9._-]+(/[A-Za-z0-9._-]+)*$";

  /**
   * Schema pattern of {@code federatesWith} items: a trust domain name, optionally as {@code
   * spiffe://<name>}.
   */
  public static final String TRUST_DOMAIN_PATTERN = "^(spiffe://)?[a-z0-9._-]+$";

  /** The longest hint the SPIRE server accepts. */
  public static final int MAX_HINT_LENGTH = 1024;

  @Required
  @Pattern(SPIFFE_ID_PATTERN)
  @Size(max = Limits.SPIFFE_ID)
  @JsonProperty("spiffeId")
  @JsonPropertyDescription(
      "SPIFFE ID the workload receives, spiffe://<trust domain>/<path>. Must be in the SPIRE "
          + "server's trust domain and not under /spire.")
  private String spiffeId;

  @Required
  @Pattern(SPIFFE_ID_PATTERN)
  @Size(max = Limits.SPIFFE_ID)
  @JsonProperty("parentId")
  @JsonPropertyDescription(
      "SPIFFE ID of the parent: the agent or node entry whose workloads may receive this ID "
          + "(for example spiffe://<trust domain>/k8s-workload-registrar/<cluster>/node/<node>).")
  private String parentId;

  @Required
  @JsonProperty("selector")
  @JsonPropertyDescription(
      "Properties a workload must have to receive the SPIFFE ID; every field set adds a "
          + "selector and all of them must match. At least one is required.")
  private SpiffeIDSelector selector;

  @Size(max = Limits.DNS_NAMES)
  @JsonProperty("dnsNames")
  @JsonPropertyDescription(
      "DNS names put into the X509-SVID as SANs; the first one also becomes the subject's "
          + "common name. A '*' is allowed only as the whole leftmost label.")
  private List<@Size(max = Limits.DNS_NAME) String> dnsNames;

  @Size(max = Limits.FEDERATES_WITH)
  @JsonProperty("federatesWith")
  @JsonPropertyDescription(
      "Trust domains (example.org or spiffe://example.org) whose bundles the workload also "
          + "receives. Each must be federated with the SPIRE server.")
  private List<@Pattern(TRUST_DOMAIN_PATTERN) @Size(max = Limits.TRUST_DOMAIN) String>
      federatesWith;

  @JsonProperty("downstream")
  @JsonPropertyDescription(
      "Whether the SVID may sign downstream X.509 CAs (a nested SPIRE server). May be refused "
          + "outside privileged namespaces.")
  private Boolean downstream;

  @Min(0)
  @ValidationRule(
      value = Limits.TTL_RULE,
      message = "must be 0 (the server's default) or at least 60 seconds")
  @JsonProperty("ttl")
  @JsonPropertyDescription(
      "Lifetime of X509-SVIDs in seconds; 0 or absent means the server default.")
  private Integer ttl;

  @Min(0)
  @ValidationRule(
      value = Limits.TTL_RULE,
      message = "must be 0 (the server's default) or at least 60 seconds")
  @JsonProperty("jwtTtl")
  @JsonPropertyDescription(
      "Lifetime of JWT-SVIDs in seconds; 0 or absent means the server default.")
  private Integer jwtTtl;

  @Size(max = MAX_HINT_LENGTH)
  @JsonProperty("hint")
  @JsonPropertyDescription(
      "Free-form hint given to the workload alongside the SVID, to tell several SVIDs apart.")
  private String hint;

  @JsonProperty("admin")
  @JsonPropertyDescription(
      "Whether the SVID grants administrative access to the SPIRE server API. May be refused "
          + "outside privileged namespaces.")
  private Boolean admin;

  @JsonProperty("storeSvid")
  @JsonPropertyDescription(
      "Whether the SVID is handed to an SVIDStore plugin instead of a workload.")
  private Boolean storeSvid;

  public SpiffeIDSpec() {}

  public String getSpiffeId() {
    return spiffeId;
  }

  public void setSpiffeId(String spiffeId) {
    this.spiffeId = spiffeId;
  }

  public String getParentId() {
    return parentId;
  }

  public void setParentId(String parentId) {
    this.parentId = parentId;
  }

  public SpiffeIDSelector getSelector() {
    return selector;
  }

  public void setSelector(SpiffeIDSelector selector) {
    this.selector = selector;
  }

  public List<String> getDnsNames() {
    return dnsNames;
  }

  public void setDnsNames(List<String> dnsNames) {
    this.dnsNames = dnsNames;
  }

  public List<String> getFederatesWith() {
    return federatesWith;
  }

  public void setFederatesWith(List<String> federatesWith) {
    this.federatesWith = federatesWith;
  }

  public Boolean getDownstream() {
    return downstream;
  }

  public void setDownstream(Boolean downstream) {
    this.downstream = downstream;
  }

  public Integer getTtl() {
    return ttl;
  }

  public void setTtl(Integer ttl) {
    this.ttl = ttl;
  }

  public Integer getJwtTtl() {
    return jwtTtl;
  }

  public void setJwtTtl(Integer jwtTtl) {
    this.jwtTtl = jwtTtl;
  }

  public String getHint() {
    return hint;
  }

  public void setHint(String hint) {
    this.hint = hint;
  }

  public Boolean getAdmin() {
    return admin;
  }

  public void setAdmin(Boolean admin) {
    this.admin = admin;
  }

  public Boolean getStoreSvid() {
    return storeSvid;
  }

  public void setStoreSvid(Boolean storeSvid) {
    this.storeSvid = storeSvid;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiffeIDSpec s
        && Objects.equals(spiffeId, s.spiffeId)
        && Objects.equals(parentId, s.parentId)
        && Objects.equals(selector, s.selector)
        && Objects.equals(dnsNames, s.dnsNames)
        && Objects.equals(federatesWith, s.federatesWith)
        && Objects.equals(downstream, s.downstream)
        && Objects.equals(ttl, s.ttl)
        && Objects.equals(jwtTtl, s.jwtTtl)
        && Objects.equals(hint, s.hint)
        && Objects.equals(admin, s.admin)
        && Objects.equals(storeSvid, s.storeSvid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        spiffeId,
        parentId,
        selector,
        dnsNames,
        federatesWith,
        downstream,
        ttl,
        jwtTtl,
        hint,
        admin,
        storeSvid);
  }

  @Override
  public String toString() {
    return "SpiffeIDSpec{spiffeId="
        + spiffeId
        + ", parentId="
        + parentId
        + ", selector="
        + selector
        + ", dnsNames="
        + dnsNames
        + ", federatesWith="
        + federatesWith
        + ", downstream="
        + downstream
        + ", ttl="
        + ttl
        + ", jwtTtl="
        + jwtTtl
        + ", hint="
        + hint
        + ", admin="
        + admin
        + ", storeSvid="
        + storeSvid
        + "}";
  }
}
