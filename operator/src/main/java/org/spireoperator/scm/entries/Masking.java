package org.spireoperator.scm.entries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spireoperator.spire.Entry;

/**
 * spire-controller-manager's masking: declarations of the same entry (same SPIFFE ID, parent ID and
 * selector set, whoever declares them: ClusterSPIFFEIDs and ClusterStaticEntries alike) are ordered
 * by {@link Declarer#PREFERENCE} (oldest object first); the first is set, the others are masked.
 * Each set declaration counts once in its declarer's {@code entriesToSet}, each masked one in its
 * {@code entriesMasked} (a ClusterStaticEntry's {@code masked} becomes true).
 */
public final class Masking {

  /** The declarations to set (one per key) and those masked. */
  public record Resolution(List<DeclaredEntry> toSet, List<DeclaredEntry> masked) {
    public Resolution {
      toSet = List.copyOf(toSet);
      masked = List.copyOf(masked);
    }
  }

  private Masking() {}

  public static Resolution resolve(List<DeclaredEntry> declarations) {
    Map<Entry.SimilarityKey, List<DeclaredEntry>> byKey = new LinkedHashMap<>();
    for (DeclaredEntry d : declarations) {
      byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d);
    }
    List<DeclaredEntry> toSet = new ArrayList<>();
    List<DeclaredEntry> masked = new ArrayList<>();
    for (List<DeclaredEntry> group : byKey.values()) {
      group.sort((a, b) -> Declarer.PREFERENCE.compare(a.by(), b.by()));
      toSet.add(group.get(0));
      masked.addAll(group.subList(1, group.size()));
    }
    return new Resolution(toSet, masked);
  }
}
