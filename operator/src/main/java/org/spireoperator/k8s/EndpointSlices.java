package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.ServiceEndpoint;

/**
 * Which pods an EndpointSlice names, and as which Service endpoints. EndpointSlices are tenant
 * input: a slice counts only for pods of its own namespace (a slice in one namespace whose target
 * reference names a pod of another namespace is ignored, so no namespace can put its Service names
 * into another namespace's entries).
 */
final class EndpointSlices {

  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private EndpointSlices() {}

  /** {@code namespace/name} of every pod of the slice's own namespace that the slice targets. */
  static List<String> podKeysOf(EndpointSlice slice) {
    List<String> keys = new ArrayList<>();
    String namespace = slice.getMetadata().getNamespace();
    for (Endpoint e : endpoints(slice)) {
      ObjectReference ref = e.getTargetRef();
      if (targetsPodOf(ref, namespace)) {
        keys.add(namespace + "/" + ref.getName());
      }
    }
    return keys;
  }

  /** The endpoints of Services (slices with a service-name label) that target {@code pod}. */
  static List<ServiceEndpoint> endpointsFor(PodKey pod, Collection<EndpointSlice> slices) {
    List<ServiceEndpoint> out = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      String namespace = slice.getMetadata().getNamespace();
      Map<String, String> labels = slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
      if (service == null || !pod.namespace().equals(namespace)) {
        continue;
      }
      for (Endpoint e : endpoints(slice)) {
        ObjectReference ref = e.getTargetRef();
        if (targetsPodOf(ref, namespace) && pod.name().equals(ref.getName())) {
          String ip =
              e.getAddresses() == null || e.getAddresses().isEmpty() ? "" : e.getAddresses().get(0);
          out.add(new ServiceEndpoint(service, namespace, e.getHostname(), ip, ref.getName()));
        }
      }
    }
    return out;
  }

  private static boolean targetsPodOf(ObjectReference ref, String namespace) {
    return ref != null
        && "Pod".equals(ref.getKind())
        && ref.getName() != null
        && (ref.getNamespace() == null || ref.getNamespace().equals(namespace));
  }

  private static List<Endpoint> endpoints(EndpointSlice slice) {
    return slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
  }
}
