package org.spireoperator.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine and the software the figures come from. */
public final class Environment {

  private Environment() {}

  /** CPU model and count, memory (free -m), kernel, JVM. */
  public static String machine() {
    StringBuilder b = new StringBuilder();
    try {
      List<String> cpu = Files.readAllLines(Path.of("/proc/cpuinfo"));
      long processors = cpu.stream().filter(l -> l.startsWith("processor")).count();
      String model =
          cpu.stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .orElse("unknown");
      String mhz =
          cpu.stream()
              .filter(l -> l.startsWith("cpu MHz"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .orElse("?");
      String flags = cpu.stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
      b.append("- CPU: ")
          .append(processors)
          .append(" × ")
          .append(model)
          .append(" @ ")
          .append(mhz)
          .append(" MHz")
          .append(flags.contains(" hypervisor") ? " (virtual machine)" : "")
          .append('\n');
    } catch (IOException e) {
      b.append("- CPU: unknown (").append(e.getMessage()).append(")\n");
    }
    b.append("- Memory (`free -m`):\n\n```\n")
        .append(command("free", "-m").stripTrailing())
        .append("\n```\n\n");
    b.append("- Kernel: ").append(read("/proc/sys/kernel/osrelease")).append('\n');
    b.append("- JVM (harness and operator): ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append('\n');
    return b.toString();
  }

  /** The 1, 5 and 15 minute load averages, e.g. {@code 2.10 / 1.95 / 1.80}. */
  public static String loadAverage() {
    String[] f = read("/proc/loadavg").split(" ");
    return f.length < 3 ? "unknown" : f[0] + " / " + f[1] + " / " + f[2];
  }

  /** The first line a command prints, or "unknown". */
  public static String firstLine(String... command) {
    String out = command(command).strip();
    return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
  }

  public static String command(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
