package org.spireoperator.crd;

import java.util.List;
import java.util.Map;

/**
 * Size limits of SpiffeID fields: in the CRD's schema (so the API server refuses an oversized
 * object) and checked again by {@link SpiffeIDEntries} (so the operator refuses one that got past
 * an older CRD). A tenant's object can thus cost the operator and the SPIRE server only a bounded
 * amount of work and memory.
 */
public final class Limits {

  /** The SPIFFE standard's limit of a SPIFFE ID as a URI SAN. */
  public static final int SPIFFE_ID = 2048;

  /** A DNS name (RFC 1123). */
  public static final int DNS_NAME = 253;

  public static final int DNS_NAMES = 100;
  public static final int FEDERATES_WITH = 32;
  public static final int TRUST_DOMAIN = 255;

  /** A selector value such as a namespace, name or service account (a DNS subdomain). */
  public static final int NAME = 253;

  /** A container image reference. */
  public static final int IMAGE = 1024;

  public static final int POD_LABELS = 32;
  public static final int ARBITRARY = 32;
  public static final int ARBITRARY_ITEM = 1024;

  /**
   * The shortest SVID lifetime a SpiffeID may ask for (0 keeps the server's default): shorter ones
   * make agents renew continuously, a load on the SPIRE server any tenant could cause.
   */
  public static final int MIN_TTL_SECONDS = 60;

  /** CEL rule of {@code ttl} and {@code jwtTtl}. */
  public static final String TTL_RULE = "self == 0 || self >= " + MIN_TTL_SECONDS;

  private Limits() {}

  /** Every field of {@code spec} over its limit, each as a problem naming the field. */
  static void check(SpiffeIDSpec spec, List<SpecProblem> problems) {
    length("spec.spiffeId", spec.getSpiffeId(), SPIFFE_ID, problems);
    length("spec.parentId", spec.getParentId(), SPIFFE_ID, problems);
    items("spec.dnsNames", spec.getDnsNames(), DNS_NAMES, DNS_NAME, problems);
    items("spec.federatesWith", spec.getFederatesWith(), FEDERATES_WITH, TRUST_DOMAIN, problems);
    SpiffeIDSelector s = spec.getSelector();
    if (s == null) {
      return;
    }
    length("spec.selector.cluster", s.getCluster(), NAME, problems);
    length("spec.selector.agent_node_uid", s.getAgentNodeUid(), NAME, problems);
    length("spec.selector.podName", s.getPodName(), NAME, problems);
    length("spec.selector.podUid", s.getPodUid(), NAME, problems);
    length("spec.selector.namespace", s.getNamespace(), NAME, problems);
    length("spec.selector.serviceAccount", s.getServiceAccount(), NAME, problems);
    length("spec.selector.containerImage", s.getContainerImage(), IMAGE, problems);
    length("spec.selector.containerName", s.getContainerName(), NAME, problems);
    length("spec.selector.nodeName", s.getNodeName(), NAME, problems);
    Map<String, String> labels = s.getPodLabel();
    if (labels != null && labels.size() > POD_LABELS) {
      problems.add(
          new SpecProblem("spec.selector.podLabel", "has more than " + POD_LABELS + " labels"));
    }
    items("spec.selector.arbitrary", s.getArbitrary(), ARBITRARY, ARBITRARY_ITEM, problems);
  }

  private static void length(String field, String value, int max, List<SpecProblem> problems) {
    if (value != null && value.length() > max) {
      problems.add(new SpecProblem(field, "is longer than " + max + " characters"));
    }
  }

  private static void items(
      String field, List<String> values, int maxItems, int maxLength, List<SpecProblem> problems) {
    if (values == null) {
      return;
    }
    if (values.size() > maxItems) {
      problems.add(new SpecProblem(field, "has more than " + maxItems + " items"));
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      length(field + "[" + i + "]", values.get(i), maxLength, problems);
    }
  }
}
