package org.spireoperator.e2e.support;

import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.EntryFilter;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpireClient;

/**
 * The entries one writer (spire-controller-manager, or this operator for spire-controller-manager's
 * resources) has on its spire-server, as registrations: without entry ID, revision and creation
 * time ({@link Registrations#registration}), sorted so that two lists compare field by field.
 *
 * @param who for messages
 * @param written which of the server's entries are this writer's
 */
public record WrittenEntries(String who, SpireClient spire, Predicate<Entry> written) {

  private static final Comparator<Entry> ORDER =
      Comparator.comparing((Entry e) -> e.spiffeId().toString())
          .thenComparing(e -> e.parentId().toString())
          .thenComparing(e -> e.selectors().toString())
          .thenComparing(Entry::toString);

  /**
   * spire-controller-manager's: entry IDs {@code <entryIdPrefix>.<uuid>} (its {@code
   * entryIDPrefix}), leaving out its short-lived probe entry.
   */
  public static WrittenEntries ofScm(RealSpire spire, String entryIdPrefix) {
    return new WrittenEntries(
        "spire-controller-manager",
        spire.client(),
        e ->
            e.id().startsWith(entryIdPrefix + ".")
                && !e.spiffeId().path().startsWith(ControllerManagerPeer.PROBE_PATH_PREFIX));
  }

  /**
   * The operator's entries for ClusterSPIFFEIDs and ClusterStaticEntries: IDs {@code
   * <entryIdPrefix>csid.<hex>} and {@code <entryIdPrefix>cse.<hex>} (its node entries and the
   * registrar's pod entries are left out).
   */
  public static WrittenEntries ofOperator(RealSpire spire, String entryIdPrefix) {
    return new WrittenEntries(
        "the operator",
        spire.client(),
        e ->
            e.id().startsWith(entryIdPrefix + "csid.")
                || e.id().startsWith(entryIdPrefix + "cse."));
  }

  /** What the writer has on its server now. */
  public List<Entry> now() {
    return spire.listEntries(EntryFilter.all()).stream()
        .filter(written)
        .map(Registrations::registration)
        .sorted(ORDER)
        .toList();
  }

  /** Of {@code entries}, those selecting the pod with this UID ({@code k8s:pod-uid:<uid>}). */
  public static List<Entry> ofPod(List<Entry> entries, String podUid) {
    Selector uid = Selector.k8s("pod-uid", podUid);
    return entries.stream().filter(e -> e.selectors().contains(uid)).toList();
  }
}
