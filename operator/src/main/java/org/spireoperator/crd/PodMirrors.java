package org.spireoperator.crd;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.spireoperator.registration.PodKey;
import org.spireoperator.registration.PodView;

/**
 * crd mode's pod mirrors: SpiffeID objects the operator writes so that {@code kubectl get
 * spiffeids} shows each pod's identity. A label proves nothing (tenants write labels): an object is
 * a mirror only when it is named after a pod that exists, is controlled by that pod (owner
 * reference with the pod's UID) and carries the same UID in its {@code podUid} label. A mirror gets
 * no entry of its own (its pod's entry is the registration; the operator keeps the mirror's spec
 * equal to it). An object that claims a pod that way (owner reference and label agree) but whose
 * pod is gone or was replaced by another of its name is a stale mirror: it gets no entry either,
 * and the API server's garbage collector (or crd mode's own pass) deletes it. Any other SpiffeID,
 * whatever its labels, is an ordinary tenant object.
 */
public final class PodMirrors {

  public static final String POD_UID_LABEL = "podUid";
  public static final String MIRROR_LABEL = "spiffe.io/mirror";

  private PodMirrors() {}

  /** The pod {@code resource} mirrors, if it is a mirror by the rules above. */
  public static Optional<PodKey> mirroredPod(
      SpiffeID resource, Function<PodKey, Optional<PodView>> pods) {
    Optional<PodKey> claimed = claimedPod(resource);
    if (claimed.isEmpty()) {
      return Optional.empty();
    }
    String uid = resource.getMetadata().getLabels().get(POD_UID_LABEL);
    return pods.apply(claimed.get()).filter(p -> uid.equals(p.uid())).map(p -> claimed.get());
  }

  /**
   * The pod {@code resource} claims to mirror: named after it, controlled by it (owner reference
   * with a UID) and labelled with the same UID; whether that pod still exists is not asked.
   */
  public static Optional<PodKey> claimedPod(SpiffeID resource) {
    var meta = resource.getMetadata();
    if (meta == null
        || meta.getOwnerReferences() == null
        || meta.getNamespace() == null
        || meta.getName() == null) {
      return Optional.empty();
    }
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    String uid = labels.get(POD_UID_LABEL);
    if (uid == null || uid.isEmpty()) {
      return Optional.empty();
    }
    boolean controlledByPod =
        meta.getOwnerReferences().stream()
            .anyMatch(
                r ->
                    Boolean.TRUE.equals(r.getController())
                        && "Pod".equals(r.getKind())
                        && "v1".equals(r.getApiVersion())
                        && meta.getName().equals(r.getName())
                        && uid.equals(r.getUid()));
    return controlledByPod
        ? Optional.of(new PodKey(meta.getNamespace(), meta.getName()))
        : Optional.empty();
  }
}
