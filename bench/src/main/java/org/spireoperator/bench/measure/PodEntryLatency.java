package org.spireoperator.bench.measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.spireoperator.bench.load.PodRef;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;
import org.spireoperator.spire.SpireClient;

/**
 * Pod-create → entry latency. Each pod is announced (by name) just before its create request is sent; a poller
 * lists, every {@value #POLL_MS} ms, only the entries under the parents that still have announced pods without an
 * entry ({@code ListEntries} by parent, straight to the server), and stamps a pod when an entry selecting it by
 * {@code k8s:pod-name} or {@code k8s:pod-uid} first shows up. Latency = that poll's answer time − the pod's
 * create-request start. Resolution: the poll period plus one small ListEntries.
 */
public final class PodEntryLatency implements AutoCloseable {

  static final int POLL_MS = 25;

  private record Pending(String name, SpiffeId parent, long createStartNanos) {
  }

  private final SpireClient spire;
  private final Map<String, Pending> pendingByName = new ConcurrentHashMap<>();
  private final Map<String, String> nameByUid = new ConcurrentHashMap<>();
  private final List<Double> latenciesMs = Collections.synchronizedList(new ArrayList<>());
  private final Thread poller;
  private volatile boolean running = true;
  private volatile long polls;

  public PodEntryLatency(SpireClient spire) {
    this.spire = spire;
    this.poller = new Thread(this::pollLoop, "bench-latency-poller");
    this.poller.setDaemon(true);
    this.poller.start();
  }

  /** Called just before the pod's create request is sent. */
  public void announce(String podName, SpiffeId parent, long createStartNanos) {
    pendingByName.put(podName, new Pending(podName, parent, createStartNanos));
  }

  /** Called when the API server answered the create (the UID is known from then on). */
  public void created(PodRef pod) {
    nameByUid.put(pod.uid(), pod.name());
  }

  /** Waits until every announced pod has an entry, or {@code timeout}; returns how many are still missing. */
  public int awaitAll(Duration timeout) {
    long deadline = Clock.now() + timeout.toNanos();
    while (!pendingByName.isEmpty() && Clock.now() < deadline) {
      Clock.sleep(Duration.ofMillis(50));
    }
    return pendingByName.size();
  }

  public List<Double> latenciesMs() {
    synchronized (latenciesMs) {
      return List.copyOf(latenciesMs);
    }
  }

  public long polls() {
    return polls;
  }

  private void pollLoop() {
    while (running) {
      Set<SpiffeId> parents = new java.util.LinkedHashSet<>();
      pendingByName.values().forEach(p -> parents.add(p.parent()));
      for (SpiffeId parent : parents) {
        List<Entry> entries;
        try {
          entries = spire.listEntries(EntryFilter.byParent(parent));
        } catch (RuntimeException e) {
          continue;
        }
        long seen = Clock.now();
        polls++;
        for (Entry e : entries) {
          String name = podNameOf(e);
          if (name == null) {
            continue;
          }
          Pending p = pendingByName.remove(name);
          if (p != null) {
            latenciesMs.add((seen - p.createStartNanos()) / 1e6);
          }
        }
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String podNameOf(Entry e) {
    for (Selector s : e.selectors()) {
      if (!s.type().equals("k8s")) {
        continue;
      }
      if (s.value().startsWith("pod-name:")) {
        return s.value().substring("pod-name:".length());
      }
      if (s.value().startsWith("pod-uid:")) {
        String name = nameByUid.get(s.value().substring("pod-uid:".length()));
        if (name != null) {
          return name;
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
  }
}
