package org.spireoperator.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and resident memory of a process, from /proc. */
public final class ProcStats {

  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /**
   * User + system CPU seconds the process has used so far (its threads included), or NaN if gone.
   */
  public static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return Double.NaN;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state=0 ... utime=11, stime=12
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * CPU seconds of a process and all its descendants: the live ones, plus what its reaped children
   * used (cutime, cstime); e.g. a PostgreSQL postmaster and its backends. NaN if it is gone.
   */
  public static double treeCpuSeconds(long pid) {
    double own = cpuSeconds(pid);
    if (Double.isNaN(own)) {
      return own;
    }
    double total = own + reapedChildrenCpuSeconds(pid);
    java.util.Map<Long, java.util.List<Long>> children = new java.util.HashMap<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          children
              .computeIfAbsent(Long.parseLong(f[1]), k -> new java.util.ArrayList<>())
              .add(Long.parseLong(name));
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      return total;
    }
    java.util.Deque<Long> todo = new java.util.ArrayDeque<>(children.getOrDefault(pid, List.of()));
    while (!todo.isEmpty()) {
      long child = todo.pop();
      double c = cpuSeconds(child);
      if (!Double.isNaN(c)) {
        total += c + reapedChildrenCpuSeconds(child);
      }
      todo.addAll(children.getOrDefault(child, List.of()));
    }
    return total;
  }

  private static double reapedChildrenCpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * When the process started, on the {@link System#nanoTime()} scale (10 ms resolution), or {@code
   * fallback} if it cannot be read.
   */
  public static long startNanos(long pid, long fallback) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double startSeconds = Long.parseLong(f[19]) / TICKS_PER_SECOND;
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      long now = System.nanoTime();
      return now - (long) ((uptime - startSeconds) * 1e9);
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }

  /** Current resident set size in MiB (VmRSS), or NaN. */
  public static double rssMiB(long pid) {
    return statusKiB(pid, "VmRSS:") / 1024.0;
  }

  /** Peak resident set size in MiB over the process's life (VmHWM), or NaN. */
  public static double peakRssMiB(long pid) {
    return statusKiB(pid, "VmHWM:") / 1024.0;
  }

  private static double statusKiB(long pid, String key) {
    if (pid <= 0) {
      return Double.NaN;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) {
          return Double.parseDouble(line.substring(key.length()).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
