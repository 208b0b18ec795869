package org.spireoperator.registration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The DNS names upstream's reconcile mode gives a pod: first its pod A-record names ({@code
 * <ip-with-dashes>.<ns>.pod.<zone>}, {@code <ip-with-dashes>.<ns>.pod}), then, sorted, every name
 * by which a Service reaches it ({@code <svc>.<ns>.svc.<zone>}, {@code <svc>.<ns>.svc}, {@code
 * <svc>.<ns>}, {@code <svc>} and the same for {@code <hostname>.<svc>} or, without a hostname,
 * {@code <ip>.<svc>} and {@code <pod>.<svc>}).
 */
public final class PodDnsNames {

  private final String zone;

  public PodDnsNames(String zone) {
    this.zone = zone;
  }

  /** The names for a pod with an IP; empty when the pod has no IP yet. */
  public List<String> forPod(PodView pod, Collection<ServiceEndpoint> endpoints) {
    if (pod.podIp().isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    String ip = munge(pod.podIp());
    names.add(ip + "." + pod.namespace() + ".pod." + zone);
    names.add(ip + "." + pod.namespace() + ".pod");
    TreeSet<String> serviceNames = new TreeSet<>();
    for (ServiceEndpoint e : endpoints) {
      if (!isComponent(e.service()) || !isComponent(e.namespace())) {
        continue;
      }
      addSearchPath(e.service(), e.namespace(), serviceNames);
      if (isComponent(e.hostname())) {
        addSearchPath(e.hostname() + "." + e.service(), e.namespace(), serviceNames);
      } else {
        if (!e.ip().isEmpty()) {
          addSearchPath(munge(e.ip()) + "." + e.service(), e.namespace(), serviceNames);
        }
        if (isComponent(e.podName())) {
          addSearchPath(e.podName() + "." + e.service(), e.namespace(), serviceNames);
        }
      }
    }
    names.addAll(serviceNames);
    return List.copyOf(names);
  }

  private void addSearchPath(String prefix, String namespace, TreeSet<String> names) {
    names.add(prefix + "." + namespace + ".svc." + zone);
    names.add(prefix + "." + namespace + ".svc");
    names.add(prefix + "." + namespace);
    names.add(prefix);
  }

  private static boolean isComponent(String name) {
    return name != null && !name.isEmpty() && !name.contains(".");
  }

  /** IPv4 dots or IPv6 colons become dashes, as Kubernetes DNS spells pod addresses. */
  static String munge(String ip) {
    if (ip.contains(".")) {
      return ip.replace('.', '-');
    }
    if (ip.contains(":")) {
      return ip.replace(':', '-');
    }
    return ip;
  }
}
