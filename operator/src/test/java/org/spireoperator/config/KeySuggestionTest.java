package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeySuggestionTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "trust_domian, trust_domain",
    "trustdomain, trust_domain",
    "Trust_Domain, trust_domain",
    "server_adress, server_address",
    "batchsize, batch_size",
    "leader_elections, leader_election",
    "pod_labels, pod_label",
    "agent_socket, agent_socket_path",
    "resync, resync_period"
  })
  void suggestsTheNearestKnownKey(String typo, String expected) {
    assertThat(KeySuggestion.nearest(typo, KnownKeys.TOP_LEVEL.keySet())).hasValue(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zzzzzz_qqqqq", "kubernetes_api_server_url", "xyz"})
  void suggestsNothingForAKeyFarFromAllKnownKeys(String unknown) {
    assertThat(KeySuggestion.nearest(unknown, KnownKeys.TOP_LEVEL.keySet())).isEmpty();
  }
}
