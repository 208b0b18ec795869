package org.spireoperator.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spireoperator.e2e.support.RealServers;
import org.spireoperator.e2e.support.RealServersExtension;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.contract.SpireClientContract;

/**
 * The SpireClient contract against the real spire-server (the same tests run against the in-process
 * server).
 */
@ExtendWith(RealServersExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealSpireContractTest extends SpireClientContract {

  private final RealServers servers;
  private boolean agentStarted;

  RealSpireContractTest(RealServers servers) {
    this.servers = servers;
  }

  @Override
  protected SpireClient client() {
    return servers.spire().client();
  }

  @Override
  protected String trustDomain() {
    return servers.spire().trustDomain();
  }

  @Override
  protected io.grpc.Channel channel() {
    return servers.spire().channel();
  }

  @Override
  protected void seedAgentIfPossible() {
    if (!agentStarted) {
      servers.spire().startAgent(agentNamespace(), agentServiceAccount());
      agentStarted = true;
    }
  }

  @AfterAll
  void stopAgent() {
    if (agentStarted) {
      servers.spire().stopAgent();
    }
  }
}
