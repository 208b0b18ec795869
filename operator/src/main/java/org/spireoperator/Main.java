package org.spireoperator;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spireoperator.app.App;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Command line: runs the operator, or answers one question and exits. {@code -config} is upstream's
 * flag.
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
      description = "Path to the HCL configuration file (default: ${DEFAULT-VALUE})")
  Path config;

  @Override
  public Integer call() {
    return App.run(config);
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
      return App.plan(parent.config);
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
      return App.explain(parent.config, pod);
    }
  }

  public static void main(String[] args) {
    org.spireoperator.webhook.AdmissionEndpoint.limitTimes();
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
