package org.spireoperator.registration;

import java.util.List;
import java.util.Map;

/** Test pods, built as values. */
final class Pods {

  private Pods() {}

  static PodView running(String namespace, String name, String node) {
    return new PodView(
        namespace,
        name,
        "uid-" + name,
        "sa-" + name,
        node,
        "",
        "Running",
        "10.0.0.7",
        Map.of(),
        Map.of(),
        List.of("registry.example/app:1"),
        false);
  }

  static PodView withLabels(PodView p, Map<String, String> labels) {
    return new PodView(
        p.namespace(),
        p.name(),
        p.uid(),
        p.serviceAccount(),
        p.nodeName(),
        p.hostname(),
        p.phase(),
        p.podIp(),
        labels,
        p.annotations(),
        p.containerImages(),
        p.terminating());
  }

  static PodView withAnnotations(PodView p, Map<String, String> annotations) {
    return new PodView(
        p.namespace(),
        p.name(),
        p.uid(),
        p.serviceAccount(),
        p.nodeName(),
        p.hostname(),
        p.phase(),
        p.podIp(),
        p.labels(),
        annotations,
        p.containerImages(),
        p.terminating());
  }

  static PodView withPhase(PodView p, String phase) {
    return new PodView(
        p.namespace(),
        p.name(),
        p.uid(),
        p.serviceAccount(),
        p.nodeName(),
        p.hostname(),
        phase,
        p.podIp(),
        p.labels(),
        p.annotations(),
        p.containerImages(),
        p.terminating());
  }

  static PodView withIp(PodView p, String ip) {
    return new PodView(
        p.namespace(),
        p.name(),
        p.uid(),
        p.serviceAccount(),
        p.nodeName(),
        p.hostname(),
        p.phase(),
        ip,
        p.labels(),
        p.annotations(),
        p.containerImages(),
        p.terminating());
  }
}
