package org.spireoperator.bench.measure;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap figures of a running JVM through {@code jcmd}. */
public final class Jcmd {

  /**
   * One line per heap ("garbage-first heap", G1) or generation ("def new generation" and "tenured
   * generation", Serial and Parallel): their sum is the heap in use.
   */
  private static final Pattern USED =
      Pattern.compile("(?:heap|generation)\\s+total (\\d+)K, used (\\d+)K");

  private Jcmd() {}

  /**
   * Runs a full GC ({@code GC.run}) and returns the heap in use right after it ({@code
   * GC.heap_info}), in MiB: the retained heap. NaN if jcmd could not attach.
   */
  public static double retainedHeapMiB(long pid) {
    run(pid, "GC.run");
    String info = run(pid, "GC.heap_info");
    return usedMiB(info);
  }

  /**
   * The live objects by class ({@code GC.class_histogram}, after a full GC), written to {@code
   * file}: where the retained heap goes. False if jcmd could not attach.
   */
  public static boolean writeHistogram(long pid, java.nio.file.Path file) {
    String histogram = run(pid, "GC.class_histogram");
    if (histogram.isEmpty()) {
      return false;
    }
    try {
      java.nio.file.Files.writeString(file, histogram);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The heap in use that a {@code GC.heap_info} answer gives, in MiB; NaN if it gives none. */
  static double usedMiB(String heapInfo) {
    Matcher m = USED.matcher(heapInfo);
    long usedKiB = 0;
    boolean found = false;
    while (m.find()) {
      usedKiB += Long.parseLong(m.group(2));
      found = true;
    }
    return found ? usedKiB / 1024.0 : Double.NaN;
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
