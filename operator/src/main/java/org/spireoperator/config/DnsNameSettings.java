package org.spireoperator.config;

import java.util.Objects;

/**
 * Which DNS names pod entries carry (besides crd mode's {@link CrdTemplates#dnsNames()}).
 *
 * @param addPodDnsNames {@code add_pod_dns_names} (reconcile mode): every name the pod is reached
 *     by
 * @param clusterDnsZone {@code cluster_dns_zone}, e.g. cluster.local
 * @param addSvcDnsName {@code add_svc_dns_name} (crd mode): {@code <service>.<namespace>.svc} of
 *     the services reaching the pod
 */
public record DnsNameSettings(
    boolean addPodDnsNames, String clusterDnsZone, boolean addSvcDnsName) {

  public DnsNameSettings {
    Objects.requireNonNull(clusterDnsZone, "clusterDnsZone");
  }
}
