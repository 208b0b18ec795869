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
            "must be one of \"reconcile\", \"crd\", \"webhook\", \"controller_manager\", got \"CRD\""),
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
            "is required when the server address is not a unix:// socket"),
        error(
            "identity template with an unsupported action",
            crd("identity_template = \"{{.Pod.Nope}}\""),
            "identity_template",
            "has an unsupported action {{.Pod.Nope}} in \"{{.Pod.Nope}}\": use .Pod.Name"),
        error(
            "identity template with an unbalanced action",
            crd("identity_template = \"ns/{{.Pod.Namespace\""),
            "identity_template",
            "has an unbalanced \"{{\" or \"}}\""),
        error(
            "identity template naming a context value that is not defined",
            crd(
                "identity_template = \"{{.Context.zone}}/{{.Pod.Name}}\"",
                "context {",
                "  region = \"eu\"",
                "}"),
            "identity_template",
            "refers to .Context.zone"),
        error(
            "identity template with a map but no key",
            crd("identity_template = \"{{.Pod.Labels}}\""),
            "identity_template",
            "has an unsupported action {{.Pod.Labels}}"),
        error(
            "DNS name template with an unsupported action",
            crd("dns_name_templates = [\"{{.Pod.Name}}\", \"{{.Pod.IP}}\"]"),
            "dns_name_templates",
            "item 2 has an unsupported action {{.Pod.IP}}"),
        error(
            "DNS name template naming a context value that is not defined",
            crd("dns_name_templates = [\"{{.Context.zone}}\"]", "context {", "  a = \"b\"", "}"),
            "dns_name_templates",
            "item 1 refers to .Context.zone"),
        error(
            "context given as a value",
            crd("context = \"eu\""),
            "context",
            "must be a block of string values"),
        error(
            "context holding a block",
            crd("context {", "  a {", "    b = \"c\"", "  }", "}"),
            "context",
            "must hold only string values"),
        error(
            "list holding a list",
            Configs.withRequired("disabled_namespaces = [[\"a\"]]"),
            "disabled_namespaces",
            "item 1 is a list"),
        error(
            "entry ID prefix with a character SPIRE refuses",
            Configs.withRequired("entry_id_prefix = \"blue/\""),
            "entry_id_prefix",
            "must be 1 to 150 letters, digits"),
        error(
            "entry ID prefix too long",
            Configs.withRequired("entry_id_prefix = \"" + "a".repeat(151) + "\""),
            "entry_id_prefix",
            "must be 1 to 150"),
        error(
            "entry ID prefix defaulting to more than 150 characters",
            Configs.withRequired("controller_name = \"" + "c".repeat(150) + "\""),
            "entry_id_prefix",
            "defaults to \"<controller_name>.<cluster>.\", which is 162 characters long here"),
        error(
            "unknown pod entry shape",
            Configs.withRequired("pod_entry_shape = \"uid\""),
            "pod_entry_shape",
            "must be one of \"upstream\", \"pod_uid\""),
        error(
            "pod UID selector with the pod UID shape",
            Configs.withRequired("pod_uid_selector = true", "pod_entry_shape = \"pod_uid\""),
            "pod_uid_selector",
            "cannot be true together with pod_entry_shape = \"pod_uid\" (that shape already selects"),
        error(
            "tenant ID path without a leading slash",
            tenant("spiffe_id_path = \"ns/{{.Namespace}}/\""),
            "tenant.spiffe_id_path",
            "must start and end with \"/\""),
        error(
            "tenant ID path without the namespace",
            tenant("spiffe_id_path = \"/tenants/\""),
            "tenant.spiffe_id_path",
            "must hold {{.Namespace}} exactly once"),
        error(
            "tenant ID path with the namespace inside a segment",
            tenant("spiffe_id_path = \"/ns-{{.Namespace}}/\""),
            "tenant.spiffe_id_path",
            "has the segment \"ns-{{.Namespace}}\""),
        error(
            "tenant ID path with another template action",
            tenant("spiffe_id_path = \"/{{.Cluster}}/{{.Namespace}}/\""),
            "tenant.spiffe_id_path",
            "has the segment \"{{.Cluster}}\", but the only template action it may hold is {{.Namespace}}"),
        error(
            "tenant ID path with an empty segment",
            tenant("spiffe_id_path = \"/ns//{{.Namespace}}/\""),
            "tenant.spiffe_id_path",
            "has an empty path segment"),
        error(
            "reserved ID of another trust domain",
            tenant("reserved_ids = [\"spiffe://other.org/ns/spire/sa/server\"]"),
            "tenant.reserved_ids",
            "must hold SPIFFE IDs of the trust domain example.org"),
        error(
            "malformed reserved ID",
            tenant("reserved_ids = [\"example.org/ns/spire\"]"),
            "tenant.reserved_ids",
            "\"example.org/ns/spire\" is not one"),
        error(
            "DNS suffix without its leading dot",
            tenant("allowed_dns_suffixes = [\"example.com\"]"),
            "tenant.allowed_dns_suffixes",
            "must hold DNS suffixes"),
        error(
            "uppercase DNS suffix",
            tenant("allowed_dns_suffixes = [\".Example.com\"]"),
            "tenant.allowed_dns_suffixes",
            "must be lowercase, got \".Example.com\": write it as \".example.com\""),
        error(
            "DNS suffix with an invalid label",
            tenant("allowed_dns_suffixes = [\".exa_mple.com\"]"),
            "tenant.allowed_dns_suffixes",
            "\".exa_mple.com\" is not one"));
  }

  private static String crd(String... lines) {
    String[] all = new String[lines.length + 1];
    all[0] = "mode = \"crd\"";
    System.arraycopy(lines, 0, all, 1, lines.length);
    return Configs.withRequired(all);
  }

  private static String tenant(String line) {
    return Configs.withRequired("tenant {", "  " + line, "}");
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
  void anIdentityTemplateTheOperatorCannotRenderIsAConfigurationError() {
    assertThatThrownBy(
            () -> Configs.parseWith("mode = \"crd\"", "identity_template = \"{{.Pod.Nope}}\""))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "k8s-workload-registrar.conf: key \"identity_template\" has an unsupported action "
                + "{{.Pod.Nope}} in \"{{.Pod.Nope}}\": use .Pod.Name, .Pod.Namespace, .Pod.UID, "
                + ".Pod.ServiceAccount, .Pod.Hostname, .Pod.NodeName, .Pod.Labels.<key>, "
                + ".Pod.Annotations.<key>, index .Pod.Labels \"<key>\" or .Context.<key>");
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
