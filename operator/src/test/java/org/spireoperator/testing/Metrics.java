package org.spireoperator.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scrape of a Prometheus text endpoint (the operator's, or a peer's), for the e2e suite and the
 * benchmark.
 */
public record Metrics(List<Sample> samples) {

  /** Write RPCs of the SPIRE Entry API. */
  public static final Set<String> WRITE_METHODS =
      Set.of("BatchCreateEntry", "BatchUpdateEntry", "BatchDeleteEntry");

  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      labels = Map.copyOf(labels);
    }
  }

  public Metrics {
    samples = List.copyOf(samples);
  }

  /**
   * Sum of the samples named {@code name} whose labels include every {@code key, value} pair given.
   */
  public double sum(String name, String... labelPairs) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labelPairs.length; i += 2) {
      wanted.put(labelPairs[i], labelPairs[i + 1]);
    }
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(
            s ->
                wanted.entrySet().stream()
                    .allMatch(w -> w.getValue().equals(s.labels().get(w.getKey()))))
        .mapToDouble(Sample::value)
        .sum();
  }

  /** Number of SPIRE write RPC attempts (any outcome) this replica made. */
  public double spireWriteCalls() {
    return WRITE_METHODS.stream()
        .mapToDouble(m -> sum("spire_registrar_spire_rpc_seconds_count", "method", m))
        .sum();
  }

  public boolean isLeader() {
    return sum("spire_registrar_leader") == 1.0;
  }

  /** Full passes completed. */
  public double fullPasses() {
    return sum("spire_registrar_full_pass_seconds_count");
  }

  /** Seconds spent in full passes. */
  public double fullPassSeconds() {
    return sum("spire_registrar_full_pass_seconds_sum");
  }

  /** RPC attempts of one SPIRE method, any outcome. */
  public double rpcCalls(String method) {
    return sum("spire_registrar_spire_rpc_seconds_count", "method", method);
  }

  /** Entries written, by {@code op} (created, updated, deleted). */
  public double entriesWritten(String op) {
    return sum("spire_registrar_entries_written_total", "op", op);
  }

  public static Metrics parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, close), labels);
      } else {
        name = line.substring(0, line.indexOf(' '));
      }
      out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
    }
    return new Metrics(out);
  }

  private static void parseLabels(String text, Map<String, String> labels) {
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String key = text.substring(i, eq).strip();
      int start = text.indexOf('"', eq) + 1;
      StringBuilder value = new StringBuilder();
      int j = start;
      while (j < text.length() && text.charAt(j) != '"') {
        if (text.charAt(j) == '\\' && j + 1 < text.length()) {
          j++;
        }
        value.append(text.charAt(j));
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
        i++;
      }
    }
  }
}
