package org.spireoperator.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived command line (a server's or agent's CLI): stdin from /dev/null, stdout and stderr
 * together, killed after 30 s.
 */
public record Command(List<String> words) {

  /**
   * How it ended.
   *
   * @param exitCode -1 if it did not finish in time
   */
  public record Result(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  public Command {
    words = List.copyOf(words);
  }

  public static Command of(String... words) {
    return new Command(List.of(words));
  }

  public Result run() {
    try {
      Process process =
          new ProcessBuilder(words)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + words + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + words, e);
    }
  }

  @Override
  public String toString() {
    return String.join(" ", words);
  }
}
