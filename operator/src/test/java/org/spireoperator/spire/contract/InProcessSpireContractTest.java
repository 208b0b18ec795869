package org.spireoperator.spire.contract;

import java.time.Duration;
import java.util.TreeSet;
import java.util.UUID;
import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.SpireClientSettings;
import org.spireoperator.spire.SpireTestServer;

/** The contract against the in-process test server. */
class InProcessSpireContractTest extends SpireClientContract {

  private final SpireTestServer server = SpireTestServer.inProcess("example.org");
  private final SpireClient client = new SpireClient(server.channel(),
      SpireClientSettings.defaults().withTimeout(Duration.ofSeconds(5)), (m, c, l) -> { });

  @Override
  protected SpireClient client() {
    return client;
  }

  @Override
  protected String trustDomain() {
    return "example.org";
  }

  @Override
  protected void ensureK8sSatAgent() {
    server.addAgent(new Agent(SpiffeId.parse("spiffe://example.org/spire/agent/k8s_sat/demo/" + UUID.randomUUID()),
        "k8s_sat", new TreeSet<>(java.util.List.of(Selector.parse("k8s_sat:cluster:demo"),
            Selector.parse("k8s_sat:agent_ns:spire"), Selector.parse("k8s_sat:agent_sa:spire-agent"))),
        false, 0, false));
  }

  @Override
  protected void afterCleanUp() {
    server.close();
  }
}
