package org.spireoperator;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spireoperator.app.App;
import org.spireoperator.config.ControllerManagerFlags;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Command line: runs the operator, or answers one question and exits. {@code -config} is upstream's
 * flag (and spire-controller-manager's); the others are spire-controller-manager v0.6.4's, so that
 * this container runs with the arguments its Helm chart gives it. As with Go's flag package, each
 * takes one or two dashes and its value after a space or {@code =}.
 */
@Command(
    name = "spire-k8s-operator",
    mixinStandardHelpOptions = true,
    version = "0.1.0",
    description =
        "Keeps SPIRE registration entries equal to the cluster's Pods, Nodes and SpiffeID resources.",
    subcommands = {Main.Plan.class, Main.Explain.class})
public final class Main implements Callable<Integer> {

  @Option(
      names = {"-config", "--config"},
      defaultValue = "k8s-workload-registrar.conf",
      description =
          "Path to the configuration file: HCL, or spire-controller-manager's"
              + " (kind: ControllerManagerConfig) (default: ${DEFAULT-VALUE})")
  Path config;

  @Option(
      names = {"-kubeconfig", "--kubeconfig"},
      description = "Path to a kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)")
  Path kubeconfig;

  @Option(
      names = {"-spire-api-socket", "--spire-api-socket"},
      description =
          "spire-controller-manager's (deprecated there): the SPIRE server socket when its"
              + " configuration file names none")
  String spireApiSocket;

  @Option(
      names = {"-expand-env", "--expand-env"},
      arity = "0..1",
      fallbackValue = "true",
      description = "spire-controller-manager's: expand $VAR and $${VAR} in its configuration file")
  Boolean expandEnv;

  @Option(
      names = {"-zap-log-level", "--zap-log-level"},
      description =
          "spire-controller-manager's: debug, info, error, panic or a number > 0; wins over"
              + " logLevel")
  String zapLogLevel;

  @Option(
      names = {"-zap-encoder", "--zap-encoder"},
      description = "spire-controller-manager's: json or console; wins over logEncoding")
  String zapEncoder;

  @Option(
      names = {"-zap-devel", "--zap-devel"},
      arity = "0..1",
      fallbackValue = "true",
      description = "spire-controller-manager's: accepted without effect")
  Boolean zapDevel;

  @Option(
      names = {"-zap-stacktrace-level", "--zap-stacktrace-level"},
      description = "spire-controller-manager's: accepted without effect")
  String zapStacktraceLevel;

  @Option(
      names = {"-zap-time-encoding", "--zap-time-encoding"},
      description = "spire-controller-manager's: accepted without effect")
  String zapTimeEncoding;

  /** spire-controller-manager's flags as given. */
  ControllerManagerFlags flags() {
    return new ControllerManagerFlags(
        spireApiSocket,
        expandEnv,
        zapLogLevel,
        zapEncoder,
        zapDevel,
        zapStacktraceLevel,
        zapTimeEncoding);
  }

  /** {@code -kubeconfig}: the fabric8 client reads the {@code kubeconfig} system property. */
  void useKubeconfig() {
    if (kubeconfig != null) {
      System.setProperty("kubeconfig", kubeconfig.toAbsolutePath().toString());
    }
  }

  @Override
  public Integer call() {
    useKubeconfig();
    return App.run(config, flags());
  }

  /** Prints the writes a full pass would make, and writes nothing. */
  @Command(
      name = "plan",
      description =
          "Print the entries a full pass would create, update and delete; write " + "nothing.")
  static final class Plan implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Override
    public Integer call() {
      parent.useKubeconfig();
      return App.plan(parent.config, parent.flags());
    }
  }

  /** Explains one pod's entry. */
  @Command(
      name = "explain",
      description =
          "Explain a pod's entry: SPIFFE ID, selectors, parent, which agent "
              + "receives it, or why it has none.")
  static final class Explain implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Parameters(paramLabel = "NAMESPACE/POD")
    String pod;

    @Override
    public Integer call() {
      parent.useKubeconfig();
      return App.explain(parent.config, parent.flags(), pod);
    }
  }

  public static void main(String[] args) {
    org.spireoperator.webhook.AdmissionEndpoint.limitTimes();
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
