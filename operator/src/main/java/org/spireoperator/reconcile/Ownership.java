package org.spireoperator.reconcile;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.OrphanKey;
import org.spireoperator.registration.PodEntries;
import org.spireoperator.registration.Subject;
import org.spireoperator.registration.Takeover;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.SpiffeId;

/**
 * Which entries on the SPIRE server this operator owns, and for which subject. Nothing a tenant
 * writes takes part: the rules read only the entry itself and the set of objects that exist.
 *
 * <ol>
 *   <li>An entry whose ID carries this operator's mark ({@link EntryIds}) belongs to the live
 *       subject whose ID it is, or, when no live object has that ID, to an {@link OrphanKey} (and
 *       is deleted).
 *   <li>With a {@link Takeover}, an entry whose ID starts with spire-controller-manager's prefix
 *       belongs to the subject that {@link Takeover#claims claims} it, or to an {@link OrphanKey}
 *       (and is deleted) when no subject wants it.
 *   <li>An unmarked entry is adopted by its shape only where upstream's registrar wrote it: a node
 *       entry of this cluster (parent the server, ID directly under this cluster's node root) or a
 *       pod entry (parent a node entry or agent of this cluster, selectors exactly {@code k8s:ns},
 *       {@code k8s:pod-name} and optionally {@code k8s:pod-uid}). So upstream's entries are kept
 *       with zero writes.
 *   <li>Everything else is foreign and never touched, including unmarked entries named in a
 *       SpiffeID's status.
 * </ol>
 */
public final class Ownership {

  private final EntryIds ids;
  private final NodeEntries nodeEntries;
  private final Predicate<SpiffeId> isClusterAgent;
  private final Takeover takeover;
  private final boolean upstreamShapes;

  public Ownership(EntryIds ids, NodeEntries nodeEntries, Predicate<SpiffeId> isClusterAgent) {
    this(ids, nodeEntries, isClusterAgent, Takeover.OFF, true);
  }

  /**
   * @param takeover spire-controller-manager's entries to take over, or {@link Takeover#OFF}
   * @param upstreamShapes whether unmarked entries in the shapes upstream's registrar wrote are
   *     adopted (not when spire-controller-manager's API alone is served: node and registrar pod
   *     entries are not wanted then, and another registrar's would be deleted)
   */
  public Ownership(
      EntryIds ids,
      NodeEntries nodeEntries,
      Predicate<SpiffeId> isClusterAgent,
      Takeover takeover,
      boolean upstreamShapes) {
    this.ids = ids;
    this.nodeEntries = nodeEntries;
    this.isClusterAgent = isClusterAgent;
    this.takeover = takeover;
    this.upstreamShapes = upstreamShapes;
  }

  /** The ownership rules of a configuration: its marks, node entries, agents and take-over. */
  public static Ownership of(
      org.spireoperator.registration.RegistrationSettings settings,
      EntryIds ids,
      NodeEntries nodeEntries) {
    String prefix = settings.scm().enabled() ? settings.scm().takeOverPrefix() : null;
    return new Ownership(
        ids,
        nodeEntries,
        nodeEntries::isClusterAgent,
        prefix == null ? Takeover.OFF : new Takeover(prefix),
        !settings.scm().alone());
  }

  public EntryIds ids() {
    return ids;
  }

  public Takeover takeover() {
    return takeover;
  }

  /** True if the entry is spire-controller-manager's, taken over (and not marked by us). */
  public boolean isTakenOver(Entry entry) {
    return !ids.isMarked(entry.id()) && takeover.covers(entry.id());
  }

  /**
   * The subject that owns an entry read from SPIRE, if any.
   *
   * @param liveSubjectWithId the live subject whose marked ID is the argument, or null
   */
  public Optional<Subject> ownerOf(Entry entry, Function<String, Subject> liveSubjectWithId) {
    return ownerOf(entry, liveSubjectWithId, id -> null);
  }

  /**
   * The subject that owns an entry read from SPIRE, if any.
   *
   * @param liveSubjectWithId the live subject whose marked ID is the argument, or null
   * @param claimedBy the subject that claims the taken-over entry with this ID ({@link
   *     Takeover#claims}), or null
   */
  public Optional<Subject> ownerOf(
      Entry entry,
      Function<String, Subject> liveSubjectWithId,
      Function<String, Subject> claimedBy) {
    if (ids.isMarked(entry.id())) {
      Subject live = liveSubjectWithId.apply(entry.id());
      return Optional.of(live != null ? live : new OrphanKey(entry.id()));
    }
    if (takeover.covers(entry.id())) {
      Subject claimant = claimedBy.apply(entry.id());
      return Optional.of(claimant != null ? claimant : new OrphanKey(entry.id()));
    }
    return structuralOwner(entry);
  }

  /**
   * True if {@code subject} may take {@code entry} as its own when SPIRE answers a create with it
   * (ALREADY_EXISTS: a similar entry exists): only its own marked entry, or an unmarked one of the
   * shape upstream's registrar wrote for that very subject, or one taken over from
   * spire-controller-manager (SPIRE found it similar to what the subject wants). A SpiffeID never
   * adopts an entry it did not create.
   */
  public boolean mayAdopt(Subject subject, Entry entry) {
    if (ids.isMarked(entry.id())) {
      return ids.idFor(subject).equals(entry.id());
    }
    if (takeover.covers(entry.id())) {
      return Takeover.mayClaim(subject);
    }
    return structuralOwner(entry).filter(subject::equals).isPresent();
  }

  private Optional<Subject> structuralOwner(Entry entry) {
    if (!upstreamShapes) {
      return Optional.empty();
    }
    Optional<? extends Subject> node = nodeEntries.ownerOf(entry);
    if (node.isPresent()) {
      return Optional.of(node.get());
    }
    return PodEntries.ownerOf(entry, this::isPodParent).map(Subject.class::cast);
  }

  /** Parents pod entries of this cluster may have: its node entries and its agents. */
  public boolean isPodParent(SpiffeId parent) {
    return nodeEntries.nodeNameOf(parent).isPresent() || isClusterAgent.test(parent);
  }
}
