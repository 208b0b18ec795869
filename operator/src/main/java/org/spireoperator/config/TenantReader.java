package org.spireoperator.config;

import java.util.List;
import java.util.Locale;

/** Reads the {@code tenant { ... }} block into {@link TenantSettings}. */
final class TenantReader {

  private final HclBlock tenant;
  private final KeyChecks checks;
  private final String trustDomain;

  TenantReader(HclBlock tenant, String trustDomain) {
    this.tenant = tenant;
    this.checks = new KeyChecks(tenant);
    this.trustDomain = trustDomain;
  }

  TenantSettings read() {
    List<String> allowedParentIds =
        checks.requireEach(
            "allowed_parent_ids",
            tenant.strings("allowed_parent_ids").orElse(List.of()),
            SpiffeSyntax::isSpiffeId,
            "SPIFFE IDs",
            "write e.g. " + tenant.example("allowed_parent_ids"));
    return new TenantSettings(
        tenant.bool("confine", true),
        allowedParentIds,
        checks.namespaces("privileged_namespaces").orElse(List.of()),
        spiffeIdPath(),
        reservedIds(),
        allowedDnsSuffixes());
  }

  private String spiffeIdPath() {
    String path = tenant.string("spiffe_id_path", TenantSettings.DEFAULT_SPIFFE_ID_PATH);
    String problem = org.spireoperator.tenancy.SpiffeIdPath.problem(path);
    if (problem != null) {
      throw tenant.error(
          "spiffe_id_path",
          problem + ", got " + HclBlock.describe(path),
          "write a path such as "
              + tenant.example("spiffe_id_path")
              + ", with "
              + TenantSettings.NAMESPACE
              + " standing for the namespace");
    }
    return path;
  }

  private List<String> reservedIds() {
    String scheme = SpiffeSyntax.SCHEME + trustDomain;
    return checks.requireEach(
        "reserved_ids",
        tenant.strings("reserved_ids").orElse(List.of()),
        id -> SpiffeSyntax.isSpiffeId(id) && (id.equals(scheme) || id.startsWith(scheme + "/")),
        "SPIFFE IDs of the trust domain " + trustDomain,
        "write e.g. tenant.reserved_ids = [\"" + scheme + "/spire/server\"]");
  }

  private List<String> allowedDnsSuffixes() {
    List<String> suffixes = tenant.strings("allowed_dns_suffixes").orElse(List.of());
    for (String suffix : suffixes) {
      String lower = suffix.toLowerCase(Locale.ROOT);
      if (!suffix.equals(lower) && isDnsSuffix(lower)) {
        throw tenant.error(
            "allowed_dns_suffixes",
            "must be lowercase, got " + HclBlock.describe(suffix),
            "write it as " + HclBlock.describe(lower));
      }
    }
    return checks.requireEach(
        "allowed_dns_suffixes",
        suffixes,
        TenantReader::isDnsSuffix,
        "DNS suffixes (\".\" then lowercase DNS labels)",
        "write e.g. " + tenant.example("allowed_dns_suffixes"));
  }

  /** {@code .} followed by a DNS name of lowercase labels, e.g. {@code .example.com}. */
  static boolean isDnsSuffix(String s) {
    return s.startsWith(".") && KubernetesNames.isDnsName(s.substring(1));
  }
}
