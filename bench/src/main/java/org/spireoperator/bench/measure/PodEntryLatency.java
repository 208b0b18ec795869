package org.spireoperator.bench.measure;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.spireoperator.bench.load.PodRef;
import org.spireoperator.bench.servers.CountingProxy;
import spire.api.server.entry.v1.BatchCreateEntryResponse;
import spire.api.types.Selector;

/**
 * Pod-create → entry latency, read off the counting proxy: each pod is announced (by name) just
 * before its create request is sent; every successful {@code BatchCreateEntry} answer passing the
 * proxy is decoded, and an entry selecting an announced pod by {@code k8s:pod-name} or {@code
 * k8s:pod-uid} stamps it. Latency = the moment that answer passed the proxy (the entry is committed
 * by then) − the pod's create-request start. No extra load on SPIRE, no polling error.
 */
public final class PodEntryLatency implements CountingProxy.Tap, AutoCloseable {

  private final CountingProxy proxy;
  private final Map<String, Long> pendingByName = new ConcurrentHashMap<>();
  private final Map<String, String> nameByUid = new ConcurrentHashMap<>();

  /**
   * Entries selecting a pod by UID that the harness did not know yet (answer raced the create's
   * answer).
   */
  private final Map<String, Long> unmatchedUids = new ConcurrentHashMap<>();

  private final List<Double> latenciesMs = Collections.synchronizedList(new ArrayList<>());

  public PodEntryLatency(CountingProxy proxy) {
    this.proxy = proxy;
    proxy.tap(this);
  }

  /** Called just before the pod's create request is sent. */
  public void announce(String podName, long createStartNanos) {
    pendingByName.put(podName, createStartNanos);
  }

  /**
   * Called when the API server answered the create (the UID is known from then on). Each side of
   * the race with {@link #answered} publishes what it knows first and then looks for the other's:
   * whichever looks last finds it, and the atomic remove lets only one of them stamp.
   */
  public void created(PodRef pod) {
    nameByUid.put(pod.uid(), pod.name());
    Long seen = unmatchedUids.remove(pod.uid());
    if (seen != null) {
      stamp(pod.name(), seen);
    }
  }

  @Override
  public void answered(String method, byte[] response, long atNanos) {
    if (!method.equals("BatchCreateEntry")) {
      return;
    }
    BatchCreateEntryResponse r;
    try {
      r = BatchCreateEntryResponse.parseFrom(response);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    for (BatchCreateEntryResponse.Result result : r.getResultsList()) {
      if (result.getStatus().getCode() != 0 || !result.hasEntry()) {
        continue;
      }
      for (Selector s : result.getEntry().getSelectorsList()) {
        if (!s.getType().equals("k8s")) {
          continue;
        }
        if (s.getValue().startsWith("pod-name:")) {
          stamp(s.getValue().substring("pod-name:".length()), atNanos);
        } else if (s.getValue().startsWith("pod-uid:")) {
          String uid = s.getValue().substring("pod-uid:".length());
          String name = nameByUid.get(uid);
          if (name != null) {
            stamp(name, atNanos);
          } else {
            unmatchedUids.put(uid, atNanos);
            // created() may have published the name between the lookup above and this put.
            String late = nameByUid.get(uid);
            if (late != null && unmatchedUids.remove(uid) != null) {
              stamp(late, atNanos);
            }
          }
        }
      }
    }
  }

  private void stamp(String pod, long atNanos) {
    Long start = pendingByName.remove(pod);
    if (start != null) {
      latenciesMs.add((atNanos - start) / 1e6);
    }
  }

  /**
   * Waits until every announced pod has an entry, or {@code timeout}; returns how many are still
   * missing.
   */
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

  @Override
  public void close() {
    proxy.tap(null);
  }
}
