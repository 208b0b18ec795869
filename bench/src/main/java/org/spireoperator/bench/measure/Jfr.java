package org.spireoperator.bench.measure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.spireoperator.bench.report.Fmt;
import org.spireoperator.bench.report.Table;

/**
 * A flight recording of a contender JVM started and dumped through {@code jcmd} ({@code JFR.start
 * settings=profile}, {@code JFR.dump}, {@code JFR.stop}), and its hot spots: where the CPU samples
 * ({@code jdk.ExecutionSample}) fall, by top frame, by the nearest frame of the operator's own
 * code, and by thread.
 */
public final class Jfr {

  private static final String NAME = "bench";
  private static final String OWN = "org.spireoperator.";

  private Jfr() {}

  public static void start(long pid) {
    jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile");
  }

  /** Dumps the recording to {@code file} and stops it. */
  public static void stop(long pid, Path file) {
    jcmd(pid, "JFR.dump", "name=" + NAME, "filename=" + file);
    jcmd(pid, "JFR.stop", "name=" + NAME);
  }

  /** Markdown: samples by top frame, by nearest own frame and by thread, {@code top} rows each. */
  public static String hotSpots(Path file, int top) {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> own = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> libraries = new HashMap<>();
    int total = 0;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedStackTrace stack = e.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        total++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(method(frames.get(0)), 1, Integer::sum);
        libraries.merge(library(frames.get(0)), 1, Integer::sum);
        String nearest = "(no frame of org.spireoperator on the stack)";
        for (RecordedFrame f : frames) {
          if (f.getMethod().getType().getName().startsWith(OWN)) {
            nearest = method(f);
            break;
          }
        }
        own.merge(nearest, 1, Integer::sum);
        String thread =
            e.getThread("sampledThread") == null
                ? "?"
                : e.getThread("sampledThread").getJavaName().replaceAll("[0-9]+", "N");
        threads.merge(thread, 1, Integer::sum);
      }
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")\n";
    }
    StringBuilder b = new StringBuilder();
    b.append("CPU samples: ")
        .append(total)
        .append(" (`jdk.ExecutionSample`, about every 10–20 ms per running thread).\n\n");
    b.append(table("top frame's library", libraries, total, top)).append('\n');
    b.append(table("top frame (self)", self, total, top)).append('\n');
    b.append(table("nearest frame of the operator's code", own, total, top)).append('\n');
    b.append(table("thread", threads, total, top));
    return b.toString();
  }

  private static String table(String what, Map<String, Integer> counts, int total, int top) {
    Table t = new Table(what, "samples", "share");
    sorted(counts).entrySet().stream()
        .limit(top)
        .forEach(
            e ->
                t.row(
                    "`" + e.getKey() + "`",
                    e.getValue(),
                    Fmt.num(100.0 * e.getValue() / Math.max(1, total), 1) + " %"));
    return t.markdown();
  }

  private static Map<String, Integer> sorted(Map<String, Integer> counts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static final List<Map.Entry<String, String>> LIBRARIES =
      List.of(
          Map.entry("org.spireoperator.", "this operator"),
          Map.entry("com.fasterxml.jackson.", "Jackson (JSON)"),
          Map.entry("io.fabric8.", "fabric8 client"),
          Map.entry("io.javaoperatorsdk.", "JOSDK"),
          Map.entry("io.grpc.", "gRPC"),
          Map.entry("io.netty.", "Netty"),
          Map.entry("com.google.protobuf.", "protobuf"),
          Map.entry("ch.qos.logback.", "logging"),
          Map.entry("org.slf4j.", "logging"),
          Map.entry("io.micrometer.", "Micrometer"),
          Map.entry("okhttp3.", "HTTP client"),
          Map.entry("sun.security.", "JDK TLS/crypto"),
          Map.entry("com.sun.crypto.", "JDK TLS/crypto"),
          Map.entry("jdk.internal.net.http.", "JDK HTTP client"),
          Map.entry("java.net.http.", "JDK HTTP client"),
          Map.entry("java.util.regex.", "JDK regex"),
          Map.entry("java.", "JDK (other)"),
          Map.entry("jdk.", "JDK (other)"),
          Map.entry("sun.", "JDK (other)"));

  private static String library(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return LIBRARIES.stream()
        .filter(l -> type.startsWith(l.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("other (" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")");
  }

  /** {@code o.s.r.SubjectSync.process}: packages abbreviated to their first letters. */
  private static String method(RecordedFrame f) {
    String[] parts = f.getMethod().getType().getName().split("\\.");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      b.append(parts[i].charAt(0)).append('.');
    }
    return b.append(parts[parts.length - 1]).append('.').append(f.getMethod().getName()).toString();
  }

  private static void jcmd(long pid, String... args) {
    try {
      String[] command = new String[args.length + 2];
      command[0] = "jcmd";
      command[1] = Long.toString(pid);
      System.arraycopy(args, 0, command, 2, args.length);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new IllegalStateException("jcmd " + String.join(" ", args) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
