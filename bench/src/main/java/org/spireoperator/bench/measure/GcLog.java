package org.spireoperator.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures from a JVM's {@code -Xlog:gc} file: the heap occupancy before and after each pause, e.g.
 * {@code [3.2s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 61M->12M(256M) 4.1ms}.
 *
 * @param pauses pauses seen
 * @param peakBeforeMiB highest occupancy before a pause (the heap's high-water mark, within one
 *     region's size)
 * @param maxAfterMiB highest occupancy after a pause (an upper bound of the live set at any time)
 * @param lastAfterMiB occupancy after the last pause
 * @param totalPauseMs summed pause time
 */
public record GcLog(
    int pauses,
    double peakBeforeMiB,
    double maxAfterMiB,
    double lastAfterMiB,
    double totalPauseMs) {

  private static final Pattern PAUSE =
      Pattern.compile("Pause .*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms");

  public static GcLog read(Path file) {
    int pauses = 0;
    double peak = 0;
    double maxAfter = 0;
    double lastAfter = 0;
    double pause = 0;
    try {
      if (!Files.exists(file)) {
        return new GcLog(0, Double.NaN, Double.NaN, Double.NaN, 0);
      }
      for (String line : Files.readAllLines(file)) {
        Matcher m = PAUSE.matcher(line);
        if (!m.find()) {
          continue;
        }
        double before = mib(m.group(1), m.group(2));
        double after = mib(m.group(3), m.group(4));
        pauses++;
        peak = Math.max(peak, before);
        maxAfter = Math.max(maxAfter, after);
        lastAfter = after;
        pause += Double.parseDouble(m.group(7));
      }
    } catch (IOException e) {
      return new GcLog(0, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    return new GcLog(pauses, peak, maxAfter, lastAfter, pause);
  }

  private static double mib(String n, String unit) {
    double v = Double.parseDouble(n);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }
}
