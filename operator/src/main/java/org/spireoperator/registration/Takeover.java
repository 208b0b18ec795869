package org.spireoperator.registration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;

/**
 * Taking over from spire-controller-manager: the entries whose ID starts with its entry ID prefix
 * ({@code entryIDPrefix}, to which it appends a dot and a UUID) become this operator's. Each such
 * entry goes to the subject that wants it ({@link #claims}); the rest are wanted by nobody and are
 * deleted. Entries without the prefix are never concerned.
 *
 * @param prefix the ID prefix of spire-controller-manager's entries, dot included ({@code demo.}),
 *     or null when nothing is taken over
 */
public record Takeover(String prefix) {

  /** Nothing is taken over. */
  public static final Takeover OFF = new Takeover(null);

  /** The longest prefix: a dot and spire-controller-manager's 36-character UUID follow it. */
  public static final int MAX_PREFIX = 218;

  private static final Pattern PREFIX = Pattern.compile("[-._0-9A-Za-z]{1," + MAX_PREFIX + "}");

  private static final Comparator<Subject> CANDIDATES =
      Comparator.comparing(Subject::kind).thenComparing(Object::toString);

  public Takeover {
    if (prefix != null && !(isPrefix(prefix) && prefix.endsWith("."))) {
      throw new IllegalArgumentException(
          "a take-over prefix is 1 to " + MAX_PREFIX + " of [-._0-9A-Za-z] and a dot: " + prefix);
    }
  }

  /**
   * The take-over of the entries of a spire-controller-manager configured with {@code
   * entryIDPrefix}: as it does, a dot is appended unless the prefix ends with one.
   */
  public static Takeover of(String entryIdPrefix) {
    return new Takeover(entryIdPrefix.endsWith(".") ? entryIdPrefix : entryIdPrefix + ".");
  }

  /** True for 1 to {@value #MAX_PREFIX} characters of {@code [-._0-9A-Za-z]}. */
  public static boolean isPrefix(String entryIdPrefix) {
    return entryIdPrefix != null && PREFIX.matcher(entryIdPrefix).matches();
  }

  public boolean isOn() {
    return prefix != null;
  }

  /** True if the entry with this ID is spire-controller-manager's, to be taken over. */
  public boolean covers(String entryId) {
    return prefix != null && entryId != null && entryId.startsWith(prefix);
  }

  /**
   * Whether a subject may own an entry taken over: every subject the operator computes itself, but
   * never a SpiffeID (its spec is a tenant's) nor an orphan.
   */
  public static boolean mayClaim(Subject subject) {
    return !(subject instanceof SpiffeIdKey) && !(subject instanceof OrphanKey);
  }

  /**
   * Which subject each taken-over entry belongs to, given what the live subjects want (pure). An
   * entry goes to the subject that wants an entry with its SPIFFE ID, parent and selectors (kept
   * when every other field is equal too, else updated in place); failing that, to one that wants
   * its SPIFFE ID with the same selectors, or with the same {@code k8s:pod-uid} selectors, under
   * another parent or with other selectors (updated in place: never a moment without an entry).
   * Entries no subject wants are absent from the answer (they are deleted). Where several subjects
   * could take an entry, the choice does not depend on the order of the arguments.
   *
   * @param entries entries read from SPIRE; only those {@link #covers covered} are claimed
   * @param wanted the entry each live subject wants (subjects that may not claim are ignored)
   */
  public Map<String, Subject> claims(Collection<Entry> entries, Map<Subject, Entry> wanted) {
    Map<String, Subject> out = new LinkedHashMap<>();
    if (!isOn()) {
      return out;
    }
    Map<Entry.SimilarityKey, List<Subject>> bySimilarity = new HashMap<>();
    Map<List<Object>, List<Subject>> bySelectors = new HashMap<>();
    Map<List<Object>, List<Subject>> byPod = new HashMap<>();
    wanted.entrySet().stream()
        .filter(w -> mayClaim(w.getKey()))
        .sorted(Map.Entry.comparingByKey(CANDIDATES))
        .forEach(
            w -> {
              Entry e = w.getValue();
              add(bySimilarity, e.similarityKey(), w.getKey());
              add(bySelectors, List.<Object>of(e.spiffeId(), e.selectors()), w.getKey());
              SortedSet<String> pods = podUids(e.selectors());
              if (!pods.isEmpty()) {
                add(byPod, List.<Object>of(e.spiffeId(), pods), w.getKey());
              }
            });
    for (Entry e : entries) {
      if (!covers(e.id())) {
        continue;
      }
      Subject owner = first(bySimilarity.get(e.similarityKey()));
      if (owner == null) {
        owner = first(bySelectors.get(List.<Object>of(e.spiffeId(), e.selectors())));
      }
      SortedSet<String> pods = podUids(e.selectors());
      if (owner == null && !pods.isEmpty()) {
        owner = first(byPod.get(List.<Object>of(e.spiffeId(), pods)));
      }
      if (owner != null) {
        out.put(e.id(), owner);
      }
    }
    return out;
  }

  private static <K> void add(Map<K, List<Subject>> index, K key, Subject subject) {
    index.computeIfAbsent(key, k -> new ArrayList<>(1)).add(subject);
  }

  private static Subject first(List<Subject> candidates) {
    return candidates == null ? null : candidates.get(0);
  }

  private static SortedSet<String> podUids(Set<Selector> selectors) {
    SortedSet<String> out = new TreeSet<>();
    for (Selector s : selectors) {
      if (s.type().equals("k8s") && s.value().startsWith("pod-uid:")) {
        out.add(s.value());
      }
    }
    return out;
  }
}
