package org.spireoperator.deploy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A program run to completion (helm, kubectl): its stdout on success, an exception carrying its
 * stderr otherwise.
 */
public record ExternalCommand(List<String> argv, Map<String, String> environment) {

  private static final long TIMEOUT_SECONDS = 300;

  public ExternalCommand {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }

  public static ExternalCommand of(Object... argv) {
    return new ExternalCommand(Arrays.stream(argv).map(String::valueOf).toList(), Map.of());
  }

  public ExternalCommand withEnvironment(String name, String value) {
    Map<String, String> env = new HashMap<>(environment);
    env.put(name, value);
    return new ExternalCommand(argv, env);
  }

  /** Runs it; returns stdout, or throws with the exit code and stderr. */
  public String run() {
    Result result = execute();
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", argv)
              + " failed with exit code "
              + result.exitCode()
              + ":\n"
              + result.stderr());
    }
    return result.stdout();
  }

  /** Runs it; returns the exit code, stdout and stderr, whatever the exit code. */
  public Result execute() {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(argv)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(environment);
      Process process = builder.start();
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", argv) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + argv + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv, e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Exit code and output of a finished command. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** An executable named by a system property or an environment variable, or found on PATH. */
  public static Optional<Path> locate(
      String property, String variable, String name, Path... fallbacks) {
    for (String configured : new String[] {System.getProperty(property), System.getenv(variable)}) {
      if (configured != null && !configured.isBlank()) {
        return Optional.of(Path.of(configured));
      }
    }
    for (Path fallback : fallbacks) {
      if (Files.isExecutable(fallback)) {
        return Optional.of(fallback);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
