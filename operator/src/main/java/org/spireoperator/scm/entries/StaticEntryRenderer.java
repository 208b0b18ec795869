package org.spireoperator.scm.entries;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.spireoperator.scm.Outcome;
import org.spireoperator.scm.crd.ClusterStaticEntrySpec;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * The entry of a ClusterStaticEntry, as spire-controller-manager v0.6.4's {@code renderStaticEntry}
 * reads it: SPIFFE ID and parent ID must be SPIFFE IDs (any trust domain), every selector {@code
 * type:value} of any type, {@code federatesWith} trust domains; TTLs are Go durations, DNS names
 * and the rest are taken as written.
 */
public final class StaticEntryRenderer {

  private StaticEntryRenderer() {}

  public static Outcome<Entry> render(ClusterStaticEntrySpec spec) {
    if (spec == null) {
      return Outcome.failed("spec is missing");
    }
    Outcome<SpiffeId> spiffeId = SpecValues.spiffeId(spec.getSpiffeID()).context("spiffeID");
    if (!spiffeId.isOk()) {
      return Outcome.failed(spiffeId.failure());
    }
    Outcome<SpiffeId> parentId = SpecValues.spiffeId(spec.getParentID()).context("parentID");
    if (!parentId.isOk()) {
      return Outcome.failed(parentId.failure());
    }
    List<Selector> selectors = new ArrayList<>();
    List<String> texts = spec.getSelectors() == null ? List.of() : spec.getSelectors();
    for (int i = 0; i < texts.size(); i++) {
      Outcome<Selector> selector =
          SpecValues.selector(texts.get(i)).context("selectors[" + i + "]");
      if (!selector.isOk()) {
        return Outcome.failed(selector.failure());
      }
      selectors.add(selector.orElseThrow());
    }
    Outcome<List<String>> federatesWith = SpecValues.federatesWith(spec.getFederatesWith());
    if (!federatesWith.isOk()) {
      return Outcome.failed(federatesWith.failure());
    }
    Outcome<Integer> x509Ttl = SpecValues.ttlSeconds("x509SVIDTTL", spec.getX509SVIDTTL());
    if (!x509Ttl.isOk()) {
      return Outcome.failed(x509Ttl.failure());
    }
    Outcome<Integer> jwtTtl = SpecValues.ttlSeconds("jwtSVIDTTL", spec.getJwtSVIDTTL());
    if (!jwtTtl.isOk()) {
      return Outcome.failed(jwtTtl.failure());
    }
    return Outcome.ok(
        new Entry(
            null,
            spiffeId.orElseThrow(),
            parentId.orElseThrow(),
            new TreeSet<>(selectors),
            spec.getDnsNames() == null
                ? List.of()
                : spec.getDnsNames().stream().map(n -> n == null ? "" : n).toList(),
            new TreeSet<>(federatesWith.orElseThrow()),
            x509Ttl.orElseThrow(),
            jwtTtl.orElseThrow(),
            Boolean.TRUE.equals(spec.getAdmin()),
            Boolean.TRUE.equals(spec.getDownstream()),
            spec.getHint(),
            Boolean.TRUE.equals(spec.getStoreSVID()),
            0,
            0,
            0));
  }
}
