package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.crd.PodMirrors;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDSelector;
import org.spireoperator.crd.SpiffeIDSpec;
import org.spireoperator.reconcile.DesiredState;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.SpiffeIdKey;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;

/**
 * {@code mode = "crd"} with {@code pod_controller = true}: each pod's identity, computed by the
 * same {@link DesiredState} as in reconcile mode, is written as a SpiffeID object named after the
 * pod in its namespace, owner-referenced to the pod and labelled {@code podUid}, so that {@code
 * kubectl get spiffeids -A} shows every identity. The pod's entry itself is registered by the
 * engine as in reconcile mode (so upstream's entries are adopted as they are); the mirror is its
 * view, and its status shows that entry ({@link org.spireoperator.crd.PodMirrors} says what makes
 * an object a mirror). Node entries stay with the registrar: the SpiffeID schema has no field for
 * {@code k8s_psat:agent_node_name} or the {@code k8s_sat} selectors.
 */
public final class PodMirror {

  public static final String POD_UID_LABEL = PodMirrors.POD_UID_LABEL;
  public static final String MIRROR_LABEL = PodMirrors.MIRROR_LABEL;

  private static final Logger log = LoggerFactory.getLogger(PodMirror.class);

  private final KubernetesClient client;
  private final DesiredState desired;
  private final InformerClusterView view;

  public PodMirror(KubernetesClient client, DesiredState desired, InformerClusterView view) {
    this.client = client;
    this.desired = desired;
    this.view = view;
  }

  /** Brings the pod's mirror SpiffeID in line with the pod's desired entry. */
  public void reconcile(PodKey key) {
    Desired d = desired.decide(key).desired();
    Optional<SpiffeID> existing = view.spiffeId(new SpiffeIdKey(key.namespace(), key.name()));
    if (existing.isPresent() && !claimsPodOwner(existing.get())) {
      log.atWarn()
          .addKeyValue("pod", key.toString())
          .log("a SpiffeID with the pod's name exists and is not a mirror; leaving it alone");
      return;
    }
    if (d instanceof Desired.Rejected) {
      return;
    }
    if (d instanceof Desired.Unwanted) {
      existing.ifPresent(s -> delete(key, s));
      return;
    }
    Entry entry = ((Desired.Wanted) d).entry();
    Pod pod = view.rawPod(key).orElse(null);
    if (pod == null) {
      return;
    }
    SpiffeIDSpec spec = specOf(entry);
    if (existing.isPresent()) {
      SpiffeID current = existing.get();
      String uid =
          current.getMetadata().getLabels() == null
              ? null
              : current.getMetadata().getLabels().get(POD_UID_LABEL);
      if (Objects.equals(uid, pod.getMetadata().getUid()) && spec.equals(current.getSpec())) {
        return;
      }
      if (!Objects.equals(uid, pod.getMetadata().getUid())) {
        delete(key, current);
      } else {
        current.setSpec(spec);
        client.resource(current).update();
        log.atInfo()
            .addKeyValue("pod", key.toString())
            .addKeyValue("spiffeId", entry.spiffeId().toString())
            .log("updated mirror SpiffeID");
        return;
      }
    }
    SpiffeID mirror = new SpiffeID();
    mirror.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(key.namespace())
            .withName(key.name())
            .withLabels(Map.of(POD_UID_LABEL, pod.getMetadata().getUid(), MIRROR_LABEL, "pod"))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withName(key.name())
                    .withUid(pod.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(false)
                    .build())
            .build());
    mirror.setSpec(spec);
    try {
      client.resource(mirror).create();
      log.atInfo()
          .addKeyValue("pod", key.toString())
          .addKeyValue("spiffeId", entry.spiffeId().toString())
          .log("created mirror SpiffeID");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /**
   * Deletes mirrors whose pod is gone (owner-reference GC does this too on a real cluster): only
   * objects controlled by a Pod of their own name, whatever their labels say.
   */
  public void collect() {
    for (SpiffeID s : view.spiffeIds()) {
      if (!claimsPodOwner(s)) {
        continue;
      }
      PodKey key = new PodKey(s.getMetadata().getNamespace(), s.getMetadata().getName());
      if (view.rawPod(key).isEmpty()) {
        delete(key, s);
      }
    }
  }

  private void delete(PodKey key, SpiffeID s) {
    client.resource(s).delete();
    log.atInfo().addKeyValue("pod", key.toString()).log("deleted mirror SpiffeID");
  }

  /** Controlled by a Pod of its own name (the mirror's owner reference); the pod may be gone. */
  private static boolean claimsPodOwner(SpiffeID s) {
    var refs = s.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        && "Pod".equals(r.getKind())
                        && s.getMetadata().getName().equals(r.getName()));
  }

  /** The SpiffeID spec that maps back to exactly this pod entry. */
  static SpiffeIDSpec specOf(Entry entry) {
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId(entry.spiffeId().toString());
    spec.setParentId(entry.parentId().toString());
    SpiffeIDSelector selector = new SpiffeIDSelector();
    for (Selector s : entry.selectors()) {
      String v = s.value();
      if (v.startsWith("ns:")) {
        selector.setNamespace(v.substring(3));
      } else if (v.startsWith("pod-name:")) {
        selector.setPodName(v.substring(9));
      } else if (v.startsWith("pod-uid:")) {
        selector.setPodUid(v.substring(8));
      }
    }
    spec.setSelector(selector);
    spec.setDnsNames(entry.dnsNames().isEmpty() ? null : new ArrayList<>(entry.dnsNames()));
    spec.setFederatesWith(
        entry.federatesWith().isEmpty() ? null : new ArrayList<>(entry.federatesWith()));
    return spec;
  }
}
