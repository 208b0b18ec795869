package org.spireoperator.e2e.support;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.spireoperator.spire.SpiffeId;

/**
 * SPIRE agents standing for Kubernetes nodes, as a DaemonSet would run them, without a kubelet: a
 * Node, a ServiceAccount and an agent Pod ({@code app=spire-agent} in {@code spire}) bound to that
 * Node and set Running, and a real spire-agent process attested as that Pod.
 *
 * <ul>
 *   <li>{@code k8s_sat}: the agent presents a legacy token for the ServiceAccount (minted by
 *       scripts/spire-agent.sh with the server's key); the server knows nothing of the Pod.
 *   <li>{@code k8s_psat}: the agent presents a projected token the real kube-apiserver issued for
 *       the ServiceAccount, bound to the agent Pod (TokenRequest with {@code boundObjectRef}),
 *       audience {@code spire-server}; the server checks it with TokenReview and reads the Pod and
 *       its Node.
 * </ul>
 */
public final class NodeAgents {

  /** The audience the server's k8s_psat attestor expects (scripts/spire-server.sh's default). */
  public static final String PSAT_AUDIENCE = "spire-server";

  private final KubernetesClient kube;
  private final RealSpire spire;
  private final Path dir;

  NodeAgents(KubernetesClient kube, RealSpire spire, Path dir) {
    this.kube = kube;
    this.spire = spire;
    this.dir = dir;
  }

  /**
   * One agent standing for one node.
   *
   * @param name the agent's directory name under the server's work dir (keep it short)
   * @param attestor {@code k8s_sat} or {@code k8s_psat}
   * @param id the SPIFFE ID it attested as
   * @param dataDir its data directory (its SVID and, on disk, its keys)
   */
  public record NodeAgent(
      String name,
      String node,
      String pod,
      String serviceAccount,
      String attestor,
      SpiffeId id,
      Path socket,
      Path dataDir) {}

  /** Name of the agent Pod on {@code node}. */
  public static String agentPod(String node) {
    return "spire-agent-" + node;
  }

  /**
   * Creates what is missing of the Node, the ServiceAccount and the agent Pod, then starts and
   * attests the agent.
   */
  public NodeAgent start(String name, String node, String serviceAccount, String attestor) {
    ensureNode(node);
    ensureServiceAccount(serviceAccount);
    Pod pod = ensureAgentPod(node, serviceAccount);
    Path token = "k8s_psat".equals(attestor) ? projectedToken(name, pod) : null;
    Map<String, String> env =
        spire.startAgent(name, attestor, RealServers.AGENT_NAMESPACE, serviceAccount, token);
    return new NodeAgent(
        name,
        node,
        pod.getMetadata().getName(),
        serviceAccount,
        attestor,
        SpiffeId.parse(env.get("SPIRE_AGENT_ID")),
        Path.of(env.get("SPIRE_AGENT_SOCKET")),
        Path.of(env.get("SPIRE_AGENT_DATA_DIR")));
  }

  /**
   * The agent Pod on {@code node} (and the Node and ServiceAccount), created as {@link #start}
   * does, without starting an agent.
   */
  public Pod agentPodOn(String node, String serviceAccount) {
    ensureNode(node);
    ensureServiceAccount(serviceAccount);
    return ensureAgentPod(node, serviceAccount);
  }

  /**
   * A TokenRequest token for {@code serviceAccount} with {@code audience}, bound to {@code pod}
   * unless it is null, in a file under this class's directory.
   */
  public Path token(String file, String serviceAccount, String audience, Pod pod) {
    var spec =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(audience)
            .withExpirationSeconds(3600L);
    if (pod != null) {
      spec =
          spec.withNewBoundObjectRef()
              .withApiVersion("v1")
              .withKind("Pod")
              .withName(pod.getMetadata().getName())
              .withUid(pod.getMetadata().getUid())
              .endBoundObjectRef();
    }
    String token =
        kube.serviceAccounts()
            .inNamespace(RealServers.AGENT_NAMESPACE)
            .withName(serviceAccount)
            .tokenRequest(spec.endSpec().build())
            .getStatus()
            .getToken();
    try {
      Files.createDirectories(dir);
      Path path = dir.resolve(file);
      Files.writeString(path, token);
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the agent Pod on {@code node} if there is one. */
  public void deleteAgentPodIfPresent(String node) {
    if (kube.pods().inNamespace(RealServers.AGENT_NAMESPACE).withName(agentPod(node)).get()
        != null) {
      deleteAgentPod(node);
    }
  }

  /** Deletes the agent Pod on {@code node} at once. */
  public void deleteAgentPod(String node) {
    kube.pods()
        .inNamespace(RealServers.AGENT_NAMESPACE)
        .withName(agentPod(node))
        .withGracePeriod(0)
        .delete();
    kube.pods()
        .inNamespace(RealServers.AGENT_NAMESPACE)
        .withName(agentPod(node))
        .waitUntilCondition(p -> p == null, 30, TimeUnit.SECONDS);
  }

  /**
   * Stops the agent and starts it again with an empty data dir: a new node attestation ({@code
   * k8s_sat}: a new agent ID; {@code k8s_psat}: the same, the node's UID).
   */
  public NodeAgent restart(NodeAgent agent) {
    spire.stopAgent(agent.name());
    return start(agent.name(), agent.node(), agent.serviceAccount(), agent.attestor());
  }

  /** Stops the agent, evicts it from the server and deletes its Pod (the Node stays). */
  public void remove(NodeAgent agent) {
    spire.stopAgent(agent.name());
    evict(agent);
    deleteAgentPod(agent.node());
  }

  /** Removes the agent's attestation from the server (Agent API DeleteAgent), if still there. */
  public void evict(NodeAgent agent) {
    try {
      spire.evictAgent(agent.id().toString());
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }

  private void ensureNode(String node) {
    if (kube.nodes().withName(node).get() == null) {
      kube.nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .create();
    }
  }

  private void ensureServiceAccount(String serviceAccount) {
    if (kube.serviceAccounts()
            .inNamespace(RealServers.AGENT_NAMESPACE)
            .withName(serviceAccount)
            .get()
        == null) {
      kube.serviceAccounts()
          .inNamespace(RealServers.AGENT_NAMESPACE)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withNamespace(RealServers.AGENT_NAMESPACE)
                  .withName(serviceAccount)
                  .endMetadata()
                  .build())
          .create();
    }
  }

  /** The agent Pod, bound to its Node and Running there, as the DaemonSet controller would. */
  private Pod ensureAgentPod(String node, String serviceAccount) {
    String name = agentPod(node);
    Pod existing = kube.pods().inNamespace(RealServers.AGENT_NAMESPACE).withName(name).get();
    if (existing != null) {
      if (!serviceAccount.equals(existing.getSpec().getServiceAccountName())) {
        throw new IllegalStateException(
            "agent pod "
                + name
                + " runs as "
                + existing.getSpec().getServiceAccountName()
                + ", not "
                + serviceAccount);
      }
      return existing;
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace(RealServers.AGENT_NAMESPACE)
            .withName(name)
            .addToLabels("app", "spire-agent")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withServiceAccountName(serviceAccount)
            .addNewContainer()
            .withName("spire-agent")
            .withImage("ghcr.io/spiffe/spire-agent:test")
            .endContainer()
            .endSpec()
            .build();
    kube.pods().inNamespace(RealServers.AGENT_NAMESPACE).resource(pod).create();
    return kube.pods()
        .inNamespace(RealServers.AGENT_NAMESPACE)
        .withName(name)
        .editStatus(
            p ->
                new PodBuilder(p)
                    .withStatus(
                        new PodStatusBuilder()
                            .withPhase("Running")
                            .withHostIP("127.0.0.1")
                            .withPodIP("127.0.0.1")
                            .build())
                    .build());
  }

  /**
   * A TokenRequest token for the Pod's ServiceAccount, bound to the Pod (name and UID), audience
   * {@value #PSAT_AUDIENCE}: what the kubelet projects into the agent's container.
   */
  private Path projectedToken(String name, Pod pod) {
    return token(name + ".token", pod.getSpec().getServiceAccountName(), PSAT_AUDIENCE, pod);
  }
}
