package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What hcl4j hands the reader, which {@link HclBlock} relies on; and the leniencies of hcl4j alone
 * that {@link HclSyntaxCheck} exists to catch.
 */
class Hcl4jRepresentationTest {

  private static Map<String, Object> parse(String text) {
    return HclFile.parse(text, "test.conf");
  }

  @Test
  void numbersAreDoubles() {
    assertThat(parse("batch_size = 50\n")).containsEntry("batch_size", 50.0);
  }

  @Test
  void booleansAreBooleans() {
    assertThat(parse("leader_election = true\n")).containsEntry("leader_election", true);
  }

  @Test
  void listsAreListsOfTheirElements() {
    assertThat(parse("disabled_namespaces = [\"a\", \"b\",]\n"))
        .containsEntry("disabled_namespaces", List.of("a", "b"));
  }

  @Test
  void aBlockIsANestedMap() {
    assertThat(parse("tenant {\n  confine = false\n  privileged_namespaces = [\"spire\"]\n}\n"))
        .containsEntry(
            "tenant", Map.of("confine", false, "privileged_namespaces", List.of("spire")));
  }

  @Test
  void aBlockOnOneLineWithCommasIsTheSameNestedMap() {
    assertThat(parse("tenant { confine = false, privileged_namespaces = [\"spire\"] }\n"))
        .containsEntry(
            "tenant", Map.of("confine", false, "privileged_namespaces", List.of("spire")));
  }

  @Test
  void anObjectAssignedWithEqualsIsANestedMapToo() {
    assertThat(parse("context = { region = \"eu\" }\n"))
        .containsEntry("context", Map.of("region", "eu"));
  }

  @Test
  void goTemplateBracesStayLiteral() {
    assertThat(parse("identity_template = \"ns/{{.Pod.Namespace}}\"\n"))
        .containsEntry("identity_template", "ns/{{.Pod.Namespace}}");
  }

  @Test
  void hcl4jAloneReadsAKeyWithoutAValueAsNull() throws Exception {
    assertThat(new HCLParser().parse("cluster =\n", false)).containsEntry("cluster", null);
  }

  @Test
  void hcl4jAloneDropsALineItCannotRead() throws Exception {
    assertThat(new HCLParser().parse("cluster = \"a\"\nfoo bar\n", false))
        .containsOnlyKeys("cluster");
  }

  @Test
  void hcl4jAloneKeepsTheLastOfARepeatedKey() throws Exception {
    assertThat(new HCLParser().parse("cluster = \"a\"\ncluster = \"b\"\n", false))
        .containsEntry("cluster", "b");
  }

  @Test
  void commentsOfEachStyleAreIgnored() {
    assertThat(parse("# a\n// b\n/* c\n d */ cluster = \"x\" # e\n"))
        .containsExactly(Map.entry("cluster", "x"));
  }
}
