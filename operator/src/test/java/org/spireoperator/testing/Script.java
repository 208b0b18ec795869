package org.spireoperator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the repository's bash scripts (scripts/*.sh), run to completion. Its stderr (diagnostics)
 * is appended to a log file; its stdout (machine-readable) is returned. A non-zero exit fails
 * loudly with the tail of that log: the suite never skips because a real server could not be built
 * or started.
 */
public record Script(Path path, Path log, Map<String, String> environment) {

  private static final Logger LOG = LoggerFactory.getLogger(Script.class);
  private static final long TIMEOUT_MINUTES = 30;

  public Script {
    environment = Map.copyOf(environment);
  }

  public Script withEnvironment(String name, String value) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(name, value);
    return new Script(path, log, env);
  }

  /** Runs {@code path args...}; returns stdout. */
  public String run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(path.toString());
    command.addAll(List.of(args));
    LOG.atInfo().addKeyValue("command", String.join(" ", command)).log("running script");
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(environment);
      Process process = builder.start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command)
                + " did not finish within "
                + TIMEOUT_MINUTES
                + " min; log "
                + log
                + ":\n"
                + LogFiles.tail(log, 40));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + "; log "
                + log
                + ":\n"
                + LogFiles.tail(log, 40));
      }
      return stdout;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /**
   * Reads {@code export NAME=value} lines (values {@code printf %q}-quoted, without special
   * characters here).
   */
  public static Map<String, String> exports(String stdout) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : stdout.split("\n")) {
      String l = line.strip();
      if (!l.startsWith("export ")) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String value = l.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      }
      out.put(l.substring("export ".length(), eq), value.replace("\\ ", " "));
    }
    return Map.copyOf(out);
  }
}
