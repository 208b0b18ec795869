package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.spireoperator.registration.PodView;

/**
 * What the operator keeps of a Pod in its informer cache: the fields any entry, template, selector
 * or agent lookup can read, and nothing else. Gone are {@code managedFields}, kubectl's
 * last-applied annotation, volumes, affinity, tolerations, security contexts, a container's env,
 * mounts, probes, resources, command and args, and the status beyond phase, reason and addresses:
 * at 30,000 pods they are most of the cache. Values many pods share (namespaces, node and account
 * names, images, label keys and values, owner names) are interned, and empty collections are the
 * shared immutable empties. A pruned pod is never written back; nothing in the operator mutates a
 * cached object.
 *
 * <p>What stays is listed here and in the README (sizing): a ClusterSPIFFEID template that reads a
 * dropped {@code .PodSpec} field sees it empty.
 */
final class PodPruning {

  private PodPruning() {}

  static Pod prune(Pod pod) {
    Pod out = new Pod();
    out.setApiVersion(intern(pod.getApiVersion()));
    out.setKind(intern(pod.getKind()));
    out.setMetadata(metadata(pod.getMetadata()));
    out.setSpec(pod.getSpec() == null ? null : spec(pod.getSpec()));
    out.setStatus(pod.getStatus() == null ? null : status(pod.getStatus()));
    out.setAdditionalProperties(Map.of());
    return out;
  }

  /** Metadata without managedFields and the last-applied annotation, shared strings interned. */
  static ObjectMeta metadata(ObjectMeta m) {
    ObjectMeta out = new ObjectMeta();
    if (m == null) {
      shrink(out);
      return out;
    }
    out.setName(m.getName());
    out.setNamespace(intern(m.getNamespace()));
    out.setUid(m.getUid());
    out.setGenerateName(intern(m.getGenerateName()));
    out.setResourceVersion(m.getResourceVersion());
    out.setGeneration(m.getGeneration());
    out.setCreationTimestamp(m.getCreationTimestamp());
    out.setDeletionTimestamp(m.getDeletionTimestamp());
    out.setDeletionGracePeriodSeconds(m.getDeletionGracePeriodSeconds());
    out.setLabels(strings(m.getLabels(), false));
    out.setAnnotations(strings(m.getAnnotations(), true));
    out.setFinalizers(list(m.getFinalizers(), PodPruning::intern));
    out.setOwnerReferences(list(m.getOwnerReferences(), PodPruning::owner));
    out.setManagedFields(List.of());
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static void shrink(ObjectMeta out) {
    out.setLabels(Map.of());
    out.setAnnotations(Map.of());
    out.setFinalizers(List.of());
    out.setOwnerReferences(List.of());
    out.setManagedFields(List.of());
    out.setAdditionalProperties(Map.of());
  }

  private static OwnerReference owner(OwnerReference r) {
    OwnerReference out = new OwnerReference();
    out.setApiVersion(intern(r.getApiVersion()));
    out.setKind(intern(r.getKind()));
    out.setName(intern(r.getName()));
    out.setUid(intern(r.getUid()));
    out.setController(r.getController());
    out.setBlockOwnerDeletion(r.getBlockOwnerDeletion());
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static PodSpec spec(PodSpec s) {
    PodSpec out = new PodSpec();
    out.setNodeName(intern(s.getNodeName()));
    out.setServiceAccountName(intern(s.getServiceAccountName()));
    out.setServiceAccount(intern(s.getServiceAccount()));
    out.setAutomountServiceAccountToken(s.getAutomountServiceAccountToken());
    out.setHostname(s.getHostname());
    out.setSubdomain(intern(s.getSubdomain()));
    out.setSetHostnameAsFQDN(s.getSetHostnameAsFQDN());
    out.setHostNetwork(s.getHostNetwork());
    out.setHostPID(s.getHostPID());
    out.setHostIPC(s.getHostIPC());
    out.setSchedulerName(intern(s.getSchedulerName()));
    out.setPriorityClassName(intern(s.getPriorityClassName()));
    out.setPriority(s.getPriority());
    out.setRuntimeClassName(intern(s.getRuntimeClassName()));
    out.setRestartPolicy(intern(s.getRestartPolicy()));
    out.setDnsPolicy(intern(s.getDnsPolicy()));
    out.setNodeSelector(strings(s.getNodeSelector(), false));
    out.setContainers(list(s.getContainers(), PodPruning::container));
    out.setInitContainers(list(s.getInitContainers(), PodPruning::container));
    out.setEphemeralContainers(List.of());
    out.setHostAliases(List.of());
    out.setImagePullSecrets(List.of());
    out.setOverhead(Map.of());
    out.setReadinessGates(List.of());
    out.setResourceClaims(List.of());
    out.setSchedulingGates(List.of());
    out.setTolerations(List.of());
    out.setTopologySpreadConstraints(List.of());
    out.setVolumes(List.of());
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static Container container(Container c) {
    Container out = new Container();
    out.setName(intern(c.getName()));
    out.setImage(intern(c.getImage()));
    out.setPorts(list(c.getPorts(), PodPruning::port));
    out.setArgs(List.of());
    out.setCommand(List.of());
    out.setEnv(List.of());
    out.setEnvFrom(List.of());
    out.setResizePolicy(List.of());
    out.setRestartPolicyRules(List.of());
    out.setVolumeDevices(List.of());
    out.setVolumeMounts(List.of());
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static ContainerPort port(ContainerPort p) {
    ContainerPort out = new ContainerPort();
    out.setName(intern(p.getName()));
    out.setContainerPort(p.getContainerPort());
    out.setProtocol(intern(p.getProtocol()));
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static PodStatus status(PodStatus s) {
    PodStatus out = new PodStatus();
    out.setPhase(intern(s.getPhase()));
    out.setReason(intern(s.getReason()));
    out.setPodIP(s.getPodIP());
    out.setPodIPs(list(s.getPodIPs(), ip -> podIp(ip.getIp())));
    out.setHostIP(intern(s.getHostIP()));
    out.setHostIPs(list(s.getHostIPs(), ip -> hostIp(ip.getIp())));
    out.setStartTime(s.getStartTime());
    out.setConditions(List.of());
    out.setContainerStatuses(List.of());
    out.setEphemeralContainerStatuses(List.of());
    out.setInitContainerStatuses(List.of());
    out.setResourceClaimStatuses(List.of());
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static PodIP podIp(String ip) {
    PodIP out = new PodIP(ip);
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static HostIP hostIp(String ip) {
    HostIP out = new HostIP(intern(ip));
    out.setAdditionalProperties(Map.of());
    return out;
  }

  private static <T> List<T> list(List<T> in, Function<T, T> each) {
    if (in == null || in.isEmpty()) {
      return List.of();
    }
    List<T> out = new ArrayList<>(in.size());
    in.forEach(x -> out.add(each.apply(x)));
    return List.copyOf(out);
  }

  /**
   * An unmodifiable copy in the source's order, keys (and, for labels, values) interned; the
   * last-applied annotation dropped.
   */
  private static Map<String, String> strings(Map<String, String> in, boolean annotations) {
    if (in == null || in.isEmpty()) {
      return Map.of();
    }
    String[] pairs = new String[in.size() * 2];
    int n = 0;
    for (Map.Entry<String, String> e : in.entrySet()) {
      if (!(annotations && PodView.LAST_APPLIED.equals(e.getKey()))) {
        pairs[n++] = intern(e.getKey());
        pairs[n++] = annotations ? e.getValue() : intern(e.getValue());
      }
    }
    return SmallStringMap.of(pairs, n);
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}
