package org.spireoperator.k8s;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.reconcile.RegistrarEvents;
import org.spireoperator.registration.NodeKey;
import org.spireoperator.registration.Subject;
import org.spireoperator.spire.Selector;

/**
 * Posts Warning Events on the Pod or Node concerned, once per object and cause (so a resync does
 * not repeat them).
 */
public final class KubernetesEvents implements RegistrarEvents {

  private static final Logger log = LoggerFactory.getLogger(KubernetesEvents.class);
  private static final int MEMORY = 10_000;

  private final KubernetesClient client;
  private final InformerClusterView view;
  private final String component;
  private final String eventNamespace;
  private final Set<String> told = ConcurrentHashMap.newKeySet();

  /**
   * @param eventNamespace namespace for Events about cluster-scoped objects (Nodes)
   */
  public KubernetesEvents(
      KubernetesClient client, InformerClusterView view, String component, String eventNamespace) {
    this.client = client;
    this.view = view;
    this.component = component;
    this.eventNamespace = eventNamespace;
  }

  @Override
  public void rejected(Subject subject, String reason) {
    post(subject, "InvalidIdentity", reason);
  }

  @Override
  public void writeFailed(Subject subject, String detail) {
    post(subject, "SpireError", detail);
  }

  @Override
  public void indistinguishableNodes(Set<String> nodes, Set<Selector> selectors) {
    String message =
        "node entries of "
            + nodes
            + " share selectors "
            + selectors
            + ": every agent matching them receives the identities of all pods on these nodes; give each node pool's"
            + " SPIRE agents their own service account";
    nodes.forEach(n -> post(new NodeKey(n), "IndistinguishableAgents", message));
  }

  @Override
  public void agentFallback(String node, String reason) {
    post(new NodeKey(node), "NoAgentIdentified", reason);
  }

  private void post(Subject subject, String reason, String message) {
    if (!told.add(subject + "|" + reason + "|" + message)) {
      return;
    }
    if (told.size() > MEMORY) {
      told.clear();
    }
    ObjectReference ref = view.referenceOf(subject);
    if (ref == null) {
      return;
    }
    String namespace = ref.getNamespace() == null ? eventNamespace : ref.getNamespace();
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withNamespace(namespace)
                  .withName(ref.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                  .endMetadata()
                  .withInvolvedObject(ref)
                  .withType("Warning")
                  .withReason(reason)
                  .withMessage(truncate(message))
                  .withNewSource()
                  .withComponent(component)
                  .endSource()
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      log.atWarn()
          .addKeyValue("object", subject.toString())
          .log("could not post Event: " + e.getMessage());
    }
  }

  private static String truncate(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 997) + "...";
  }
}
