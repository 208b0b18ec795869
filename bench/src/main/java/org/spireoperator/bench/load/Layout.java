package org.spireoperator.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where the benchmark's pods go: their namespaces and service accounts, the same for the cluster
 * the contenders watch and for the raw baseline writing their entries directly.
 *
 * <p>Either every pod in namespace {@code bench} (the default: the worst case for upstream's entry
 * shape, whose {@code k8s:ns} selector every pod of a namespace shares), or a realistic spread:
 * {@code namespaces} namespaces {@code bench-000}, {@code bench-001}, ... whose sizes follow Zipf's
 * law (the k-th largest holds a share proportional to 1/k), pods assigned in a shuffled order
 * (fixed seed) so that creation interleaves namespaces.
 *
 * @param namespaces every namespace, largest first
 * @param bulkNamespaces the namespace of bulk pod i
 */
public record Layout(List<String> namespaces, List<String> bulkNamespaces) {

  public static final String SINGLE_NAMESPACE = "bench";
  private static final int SERVICE_ACCOUNTS = 10;
  private static final long SEED = 12;

  public Layout {
    namespaces = List.copyOf(namespaces);
    bulkNamespaces = List.copyOf(bulkNamespaces);
  }

  /** {@code pods} pods in one namespace (1) or spread over {@code namespaces} by Zipf's law. */
  public static Layout of(int pods, int namespaces) {
    if (namespaces <= 1) {
      return new Layout(List.of(SINGLE_NAMESPACE), Collections.nCopies(pods, SINGLE_NAMESPACE));
    }
    List<String> names = new ArrayList<>(namespaces);
    for (int k = 0; k < namespaces; k++) {
      names.add(String.format("%s-%03d", SINGLE_NAMESPACE, k));
    }
    int[] sizes = zipfSizes(pods, namespaces);
    List<String> bulk = new ArrayList<>(pods);
    for (int k = 0; k < namespaces; k++) {
      for (int i = 0; i < sizes[k]; i++) {
        bulk.add(names.get(k));
      }
    }
    Collections.shuffle(bulk, new Random(SEED));
    return new Layout(names, bulk);
  }

  /**
   * Sizes proportional to 1/k (k = 1..n) summing to {@code total}, each at least 1 where total
   * allows, by largest remainder.
   */
  static int[] zipfSizes(int total, int n) {
    double h = 0;
    for (int k = 1; k <= n; k++) {
      h += 1.0 / k;
    }
    int[] sizes = new int[n];
    double[] remainder = new double[n];
    int assigned = 0;
    for (int k = 1; k <= n; k++) {
      double exact = total / (k * h);
      sizes[k - 1] = (int) Math.floor(exact);
      remainder[k - 1] = exact - sizes[k - 1];
      assigned += sizes[k - 1];
    }
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      order.add(k);
    }
    order.sort((a, b) -> Double.compare(remainder[b], remainder[a]));
    for (int i = 0; assigned < total; i = (i + 1) % n) {
      sizes[order.get(i)]++;
      assigned++;
    }
    return sizes;
  }

  public boolean spread() {
    return namespaces.size() > 1;
  }

  /** The namespace of bulk pod {@code i}. */
  public String namespaceOf(int i) {
    return bulkNamespaces.get(i % bulkNamespaces.size());
  }

  /**
   * The namespace of the {@code i}-th pod created at the steady rate: a sample from the same
   * distribution.
   */
  public String steadyNamespaceOf(int i) {
    return bulkNamespaces.get((int) ((i * 7919L + 13) % bulkNamespaces.size()));
  }

  /** The service account a pod named {@code pod} runs as (one of ten). */
  public static String serviceAccountOf(String pod) {
    return "sa-" + Math.floorMod(pod.hashCode(), SERVICE_ACCOUNTS);
  }

  /** Pods per namespace: largest, median, smallest, e.g. {@code "1,701 … 27 … 9"}. */
  public String describe() {
    if (!spread()) {
      return "one namespace (`" + SINGLE_NAMESPACE + "`)";
    }
    int[] sizes = new int[namespaces.size()];
    for (String ns : bulkNamespaces) {
      sizes[namespaces.indexOf(ns)]++;
    }
    return String.format(
        "%d namespaces, Zipf sizes (largest %,d, median %,d, smallest %,d pods)",
        namespaces.size(), sizes[0], sizes[sizes.length / 2], sizes[sizes.length - 1]);
  }
}
