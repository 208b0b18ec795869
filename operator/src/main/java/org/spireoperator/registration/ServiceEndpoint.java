package org.spireoperator.registration;

/**
 * One pod's endpoint in a Service, as an EndpointSlice reports it.
 *
 * @param service the Service name (the slice's {@code kubernetes.io/service-name} label)
 * @param namespace the Service's namespace
 * @param hostname the endpoint's hostname (set for StatefulSet pods behind a headless Service), may
 *     be empty
 * @param ip the endpoint's first address
 * @param podName the name of the Pod the endpoint targets
 */
public record ServiceEndpoint(
    String service, String namespace, String hostname, String ip, String podName) {
  public ServiceEndpoint {
    hostname = hostname == null ? "" : hostname;
    ip = ip == null ? "" : ip;
    podName = podName == null ? "" : podName;
  }
}
