package org.spireoperator.bench.contenders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A contender's OS process: started with stdout/stderr to its log, stopped with TERM then KILL. */
final class ContenderProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ContenderProcess.class);

  private final String name;
  private final Process process;
  private final Path log;

  private ContenderProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ContenderProcess start(
      String name, List<String> command, Map<String, String> env, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "==== " + String.join(" ", command) + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("SPIFFE_"));
    builder.environment().putAll(env);
    Process p = builder.start();
    LOG.atInfo()
        .addKeyValue("contender", name)
        .addKeyValue("pid", p.pid())
        .addKeyValue("log", log)
        .log("started");
    return new ContenderProcess(name, p, log);
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        LOG.atWarn().addKeyValue("contender", name).log("ignored SIGTERM for 30 s; killing");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
