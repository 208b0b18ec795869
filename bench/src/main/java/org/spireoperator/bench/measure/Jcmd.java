package org.spireoperator.bench.measure;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap figures of a running JVM through {@code jcmd}. */
public final class Jcmd {

  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private Jcmd() {}

  /**
   * Runs a full GC ({@code GC.run}) and returns the heap in use right after it ({@code
   * GC.heap_info}), in MiB: the retained heap. NaN if jcmd could not attach.
   */
  public static double retainedHeapMiB(long pid) {
    run(pid, "GC.run");
    String info = run(pid, "GC.heap_info");
    Matcher m = USED.matcher(info);
    return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : Double.NaN;
  }

  private static String run(long pid, String command) {
    try {
      Process p =
          new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
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
}
