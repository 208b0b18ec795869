package org.spireoperator.spire.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.spireoperator.spire.SpireClient;
import org.spireoperator.spire.testserver.ServerSemantics;
import org.spireoperator.spire.testserver.SpireTestServer;

/** The contract against the in-process test server (answering as SPIRE 1.15). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InProcessSpireContractTest extends SpireClientContract {

  private SpireTestServer server;
  private SpireClient client;

  protected ServerSemantics semantics() {
    return ServerSemantics.V1_15;
  }

  @BeforeAll
  void startServer() {
    server = SpireTestServer.start("example.org", semantics());
    client = server.client();
  }

  @AfterAll
  void everyTestCleanedUpAfterItself() {
    try {
      assertThat(server.entries()).isEmpty();
    } finally {
      server.close();
    }
  }

  @Override
  protected SpireClient client() {
    return client;
  }

  @Override
  protected Channel channel() {
    return server.channel();
  }

  @Override
  protected String trustDomain() {
    return server.trustDomain();
  }

  @Override
  protected void seedAgentIfPossible() {
    if (server.agents().isEmpty()) {
      server.addK8sSatAgent(agentCluster(), agentNamespace(), agentServiceAccount());
    }
  }
}
