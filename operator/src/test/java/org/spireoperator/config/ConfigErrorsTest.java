package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigErrorsTest {

  static Stream<Arguments> errors() {
    return Stream.of(
        error("missing trust domain", "cluster = \"production\"", "trust_domain", "is required"),
        error("missing cluster", "trust_domain = \"example.org\"", "cluster", "is required"),
        error(
            "unknown key",
            Configs.withRequired("trust_domian = \"x\""),
            "trust_domian",
            "did you mean \"trust_domain\"?"),
        error(
            "unknown key in the tenant block",
            Configs.withRequired("tenant {", "  confin = true", "}"),
            "tenant.confin",
            "did you mean \"tenant.confine\"?"),
        error(
            "text for a number",
            Configs.withRequired("batch_size = \"fifty\""),
            "batch_size",
            "must be a number, got \"fifty\""),
        error(
            "fraction for a number",
            Configs.withRequired("page_size = 20.5"),
            "page_size",
            "must be a whole number"),
        error(
            "number out of range",
            Configs.withRequired("batch_size = 5000"),
            "batch_size",
            "from 1 to 1000"),
        error(
            "text for a boolean",
            Configs.withRequired("leader_election = \"yes\""),
            "leader_election",
            "must be true or false"),
        error(
            "unquoted word for a string",
            Configs.withRequired("mode = crd"),
            "mode",
            "mode = \"crd\""),
        error(
            "list for a string",
            Configs.withRequired("controller_name = [\"a\"]"),
            "controller_name",
            "must be a string"),
        error(
            "string for a list",
            Configs.withRequired("disabled_namespaces = \"kube-system\""),
            "disabled_namespaces",
            "must be a list of strings"),
        error(
            "uppercase trust domain",
            "trust_domain = \"Example.org\"\ncluster = \"c\"",
            "trust_domain",
            "must be lowercase, got \"Example.org\": write trust_domain = \"example.org\""),
        error(
            "malformed trust domain",
            "trust_domain = \"example org\"\ncluster = \"c\"",
            "trust_domain",
            "is not a valid trust domain"),
        error(
            "cluster unusable in an ID",
            "trust_domain = \"example.org\"\ncluster = \"a/b\"",
            "cluster",
            "SPIFFE ID path"),
        error(
            "malformed duration",
            Configs.withRequired("resync_period = \"10 minutes\""),
            "resync_period",
            "must be a duration such as"),
        error(
            "duration without unit",
            Configs.withRequired("spire_timeout = 30"),
            "spire_timeout",
            "must be a duration such as"),
        error(
            "zero duration",
            Configs.withRequired("resync_period = \"0s\""),
            "resync_period",
            "must be longer than zero"),
        error(
            "unknown mode",
            Configs.withRequired("mode = \"CRD\""),
            "mode",
            "must be one of \"reconcile\", \"crd\", \"webhook\", got \"CRD\""),
        error(
            "unknown node attestor",
            Configs.withRequired("node_attestor = \"psat\""),
            "node_attestor",
            "must be one of \"k8s_psat\", \"k8s_sat\""),
        error(
            "unknown parent mode",
            Configs.withRequired("parent_mode = \"pod\""),
            "parent_mode",
            "must be one of \"node\", \"agent\""),
        error(
            "unknown log level",
            Configs.withRequired("log_level = \"loud\""),
            "log_level",
            "must be one of"),
        error(
            "unknown log format",
            Configs.withRequired("log_format = \"xml\""),
            "log_format",
            "must be one of \"text\", \"json\""),
        error(
            "unknown lock type",
            Configs.withRequired("leader_election_resource_lock = \"etcd\""),
            "leader_election_resource_lock",
            "must be \"leases\""),
        error(
            "malformed server address",
            Configs.withRequired("server_address = \"spire-server\""),
            "server_address",
            "host:port"),
        error(
            "relative server socket path",
            Configs.withRequired("server_socket_path = \"api.sock\""),
            "server_socket_path",
            "absolute path"),
        error(
            "malformed listen address",
            Configs.withRequired("health_addr = \"8081\""),
            "health_addr",
            "[host]:port"),
        error(
            "malformed namespace",
            Configs.withRequired("agent_namespace = \"Spire_NS\""),
            "agent_namespace",
            "namespace name"),
        error(
            "malformed namespace in a list",
            Configs.withRequired("disabled_namespaces = [\"kube_system\"]"),
            "disabled_namespaces",
            "\"kube_system\" is not one"),
        error(
            "malformed label selector",
            Configs.withRequired("agent_pod_selector = \"app\""),
            "agent_pod_selector",
            "key=value"),
        error(
            "set-based label selector",
            Configs.withRequired("agent_pod_selector = \"app!=agent\""),
            "agent_pod_selector",
            "key=value"),
        error(
            "malformed parent ID",
            Configs.withRequired(
                "tenant {", "  allowed_parent_ids = [\"spiffe://example.org/a//b\"]", "}"),
            "tenant.allowed_parent_ids",
            "must hold SPIFFE IDs"),
        error(
            "tenant given as a value",
            Configs.withRequired("tenant = true"),
            "tenant",
            "must be a block"),
        error(
            "key without value",
            Configs.withRequired("controller_name ="),
            "controller_name",
            "has no value"),
        error(
            "pod label and annotation",
            Configs.withRequired("pod_label = \"a\"", "pod_annotation = \"b\""),
            "pod_annotation",
            "cannot be set together with \"pod_label\""),
        error(
            "identity template outside crd mode",
            Configs.withRequired("identity_template = \"ns/{{.Pod.Namespace}}\""),
            "identity_template",
            "only applies in mode \"crd\" (mode is \"reconcile\"): remove it, or set mode = \"crd\""),
        error(
            "context outside crd mode",
            Configs.withRequired("mode = \"webhook\"", "context {", "  a = \"b\"", "}"),
            "context",
            "only applies in mode \"crd\""),
        error(
            "identity template with a pod label",
            Configs.withRequired(
                "mode = \"crd\"", "pod_label = \"app\"", "identity_template = \"x/{{.Pod.Name}}\""),
            "identity_template",
            "cannot be set together with \"pod_label\""),
        error(
            "template refers to a missing context",
            Configs.withRequired(
                "mode = \"crd\"", "identity_template = \"{{ .Context.region }}/{{.Pod.Name}}\""),
            "identity_template",
            "no context is set"),
        error(
            "TCP server without an agent socket",
            Configs.withRequired("server_address = \"spire-server:8081\""),
            "agent_socket_path",
            "is required when the server address is not a unix:// socket"));
  }

  private static Arguments error(String name, String config, String key, String fragment) {
    return Arguments.of(name, config, key, fragment);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void eachErrorIsOneLineNamingTheFileTheKeyAndTheFix(
      String name, String config, String key, String fragment) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Configs.parse(config));

    assertThat(e).as(name).isNotNull();
    assertThat(e.getMessage())
        .startsWith(Configs.SOURCE + ": ")
        .contains("key \"" + key + "\"")
        .contains(fragment)
        .doesNotContain("\n");
  }

  @Test
  void aMissingTrustDomainSaysHowToSetIt() {
    assertThatThrownBy(() -> Configs.parse("cluster = \"production\""))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "k8s-workload-registrar.conf: key \"trust_domain\" is required: set it to your SPIRE "
                + "trust domain, e.g. trust_domain = \"example.org\"");
  }

  @Test
  void aMisspeltKeySuggestsTheNearestKnownKey() {
    assertThatThrownBy(
            () -> Configs.parse("trust_domian = \"example.org\"\ncluster = \"production\""))
        .hasMessage(
            "k8s-workload-registrar.conf: unknown key \"trust_domian\": "
                + "did you mean \"trust_domain\"?");
  }

  @Test
  void aKeyFarFromEveryKnownKeyIsRejectedWithoutASuggestion() {
    assertThatThrownBy(() -> Configs.parseWith("zzzzzz_qqqqq = 1"))
        .hasMessage(
            "k8s-workload-registrar.conf: unknown key \"zzzzzz_qqqqq\": remove it "
                + "(docs/CONFIG.md lists the known keys)");
  }

  @Test
  void textWhereANumberBelongsIsRejectedWithTheValue() {
    assertThatThrownBy(() -> Configs.parseWith("batch_size = \"fifty\""))
        .hasMessageStartingWith(
            "k8s-workload-registrar.conf: key \"batch_size\" must be a number, got "
                + "\"fifty\": ");
  }

  @Test
  void aMissingFileIsNamedWithTheFix(@TempDir Path dir) {
    Path missing = dir.resolve("absent.conf");

    assertThatThrownBy(() -> ConfigLoader.withoutEnvironment().load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            missing + ": configuration file not found: create it, or pass its path with -config");
  }

  @Test
  void aDirectoryIsNotAConfigurationFile(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.withoutEnvironment().load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(dir + ": ");
  }

  @Test
  void errorsFromAFileNameThatFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("registrar.conf"), "cluster = \"c\"\n");

    assertThatThrownBy(() -> ConfigLoader.withoutEnvironment().load(file))
        .hasMessageStartingWith(file + ": key \"trust_domain\" is required");
  }

  @Test
  void aLineThatIsNotAnAssignmentIsASyntaxErrorWithItsLine() {
    assertThatThrownBy(
            () -> Configs.parse("trust_domain = \"example.org\"\ncluster \"production\"\n"))
        .hasMessage(
            "k8s-workload-registrar.conf: line 2: HCL syntax error: expected \"=\" or \"{\" after "
                + "\"cluster\", found the end of the line: write cluster = value");
  }

  @Test
  void aSyntaxErrorFoundByHcl4jCarriesItsLineAndColumn() {
    assertThatThrownBy(
            () -> Configs.parse("cluster = \"production\"\ntrust_domain = 'example.org'\n"))
        .hasMessageStartingWith(
            "k8s-workload-registrar.conf: line 2, column 16: HCL syntax error: "
                + "unexpected character \"'\"");
  }

  @Test
  void aValueOnTheLineAfterItsKeyIsASyntaxError() {
    assertThatThrownBy(() -> Configs.parse(Configs.MINIMAL + "disabled_namespaces =\n  [\"a\"]\n"))
        .hasMessage(
            "k8s-workload-registrar.conf: line 3: HCL syntax error: key \"disabled_namespaces\" has no "
                + "value: write the value on the same line, e.g. disabled_namespaces = [\"kube-system\", "
                + "\"kube-public\"]");
  }

  @Test
  void aBlockWhoseBraceIsOnTheNextLineIsASyntaxError() {
    assertThatThrownBy(() -> Configs.parse(Configs.MINIMAL + "tenant\n{\n  confine = true\n}\n"))
        .hasMessageStartingWith(
            "k8s-workload-registrar.conf: line 3: HCL syntax error: expected \"=\" or "
                + "\"{\" after \"tenant\"");
  }

  @Test
  void anUnclosedStringIsASyntaxErrorWithItsLine() {
    assertThatThrownBy(
            () -> Configs.parse("cluster = \"production\ntrust_domain = \"example.org\"\n"))
        .hasMessageStartingWith(
            "k8s-workload-registrar.conf: line 1: HCL syntax error: string is never " + "closed");
  }

  @Test
  void anUnclosedBlockIsASyntaxErrorWithTheLineThatOpensIt() {
    assertThatThrownBy(() -> Configs.parse(Configs.MINIMAL + "tenant {\n  confine = true\n"))
        .hasMessageStartingWith(
            "k8s-workload-registrar.conf: line 3: HCL syntax error: block \"{\" is never "
                + "closed");
  }

  @Test
  void anUnmatchedClosingBraceIsASyntaxError() {
    assertThatThrownBy(() -> Configs.parse(Configs.MINIMAL + "}\n"))
        .hasMessageStartingWith(
            "k8s-workload-registrar.conf: line 3: HCL syntax error: unmatched \"}\"");
  }

  @Test
  void aKeySetTwiceIsRejectedRatherThanSilentlyKeepingTheLast() {
    assertThatThrownBy(() -> Configs.parse(Configs.MINIMAL + "cluster = \"other\"\n"))
        .hasMessage(
            "k8s-workload-registrar.conf: line 3: HCL syntax error: key \"cluster\" is already set "
                + "on line 2: keep only one of them");
  }

  @Test
  void aBlockGivenTwiceIsRejected() {
    assertThatThrownBy(() -> Configs.parse(Configs.MINIMAL + "tenant {\n}\ntenant {\n}\n"))
        .hasMessageContaining("line 5: HCL syntax error: key \"tenant\" is already set on line 3");
  }

  @Test
  void interpolationIsRejectedBecauseHcl4jWouldEvaluateIt() {
    assertThatThrownBy(() -> Configs.parse(Configs.MINIMAL + "pod_label = \"${label}\"\n"))
        .hasMessageStartingWith(
            "k8s-workload-registrar.conf: line 3: HCL syntax error: interpolation");
  }
}
