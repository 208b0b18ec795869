package org.spireoperator.reconcile;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.spireoperator.crd.SpiffeID;
import org.spireoperator.crd.SpiffeIDStatus;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.EntryIds;
import org.spireoperator.registration.NodeEntries;
import org.spireoperator.registration.OrphanKey;
import org.spireoperator.registration.PodEntries;
import org.spireoperator.registration.SpiffeIdKey;
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
 *   <li>With {@code adopt_upstream_spiffeid_entries}, an unmarked entry no rule above gives away
 *       belongs to the live SpiffeID whose {@code status.entryId} names it, if its SPIFFE ID,
 *       parent and selectors are those of the entry the SpiffeID wants now (which passed tenant
 *       confinement; while it is being deleted, what its spec asks for) and, unless the SpiffeID's
 *       namespace is privileged, it is neither admin nor downstream and has no DNS name the wanted
 *       entry lacks ({@link #isUpstreamEntryOf}): the entry upstream's registrar wrote for that
 *       SpiffeID in crd mode, or one the SpiffeID could have created itself. A tenant writes the
 *       status: it only ever points at an entry that grants no more than the tenant may ask for, so
 *       naming an entry is necessary, never enough. Once adopted, the entry stays the SpiffeID's
 *       while the operator runs ({@code LiveSubjects#classify} takes the index's adoptions).
 *   <li>Everything else is foreign and never touched, including other unmarked entries named in a
 *       SpiffeID's status.
 * </ol>
 */
public final class Ownership {

  private final EntryIds ids;
  private final NodeEntries nodeEntries;
  private final Predicate<SpiffeId> isClusterAgent;
  private final Takeover takeover;
  private final boolean upstreamShapes;
  private final UpstreamSpiffeIds upstreamSpiffeIds;

  /**
   * What adopting upstream's SpiffeID entries reads of the cluster, with no I/O: the entry ID each
   * SpiffeID's status names and whether a namespace is confined.
   *
   * @param on {@code adopt_upstream_spiffeid_entries}
   * @param statusEntryId the {@code status.entryId} of a live SpiffeID, if it has one
   * @param confined whether objects of a namespace are confined ({@code
   *     TenantConfinement#confines}): a privileged namespace may adopt admin, downstream and other
   *     DNS names
   */
  public record UpstreamSpiffeIds(
      boolean on,
      Function<SpiffeIdKey, Optional<String>> statusEntryId,
      Predicate<String> confined) {

    /** Nothing is adopted. */
    public static final UpstreamSpiffeIds OFF =
        new UpstreamSpiffeIds(false, key -> Optional.empty(), namespace -> true);

    /** Adoption reading the SpiffeIDs of a cluster view. */
    public static UpstreamSpiffeIds of(ClusterView cluster, Predicate<String> confined) {
      return new UpstreamSpiffeIds(
          true,
          key ->
              cluster
                  .spiffeId(key)
                  .map(SpiffeID::getStatus)
                  .map(SpiffeIDStatus::getEntryId)
                  .filter(id -> !id.isEmpty()),
          confined);
    }
  }

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
    this(ids, nodeEntries, isClusterAgent, takeover, upstreamShapes, UpstreamSpiffeIds.OFF);
  }

  /**
   * @param upstreamSpiffeIds what adopting upstream's SpiffeID entries reads, or {@link
   *     UpstreamSpiffeIds#OFF}
   */
  public Ownership(
      EntryIds ids,
      NodeEntries nodeEntries,
      Predicate<SpiffeId> isClusterAgent,
      Takeover takeover,
      boolean upstreamShapes,
      UpstreamSpiffeIds upstreamSpiffeIds) {
    this.ids = ids;
    this.nodeEntries = nodeEntries;
    this.isClusterAgent = isClusterAgent;
    this.takeover = takeover;
    this.upstreamShapes = upstreamShapes;
    this.upstreamSpiffeIds = upstreamSpiffeIds;
  }

  /**
   * The ownership rules of a configuration: its marks, node entries, agents, take-over and, with
   * {@code adopt_upstream_spiffeid_entries}, the SpiffeIDs of {@code cluster}.
   */
  public static Ownership of(
      org.spireoperator.registration.RegistrationSettings settings,
      EntryIds ids,
      NodeEntries nodeEntries,
      ClusterView cluster) {
    String prefix = settings.scm().enabled() ? settings.scm().takeOverPrefix() : null;
    boolean adopt = settings.adoptUpstreamSpiffeIds() && !settings.scm().alone();
    return new Ownership(
        ids,
        nodeEntries,
        nodeEntries::isClusterAgent,
        prefix == null ? Takeover.OFF : new Takeover(prefix),
        !settings.scm().alone(),
        adopt ? UpstreamSpiffeIds.of(cluster, settings.tenant()::confines) : UpstreamSpiffeIds.OFF);
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

  /** True if upstream's entries of SpiffeIDs are adopted ({@link #isUpstreamEntryOf}). */
  public boolean adoptsUpstreamSpiffeIds() {
    return upstreamSpiffeIds.on();
  }

  /** The entry ID a live SpiffeID's status names, if any (written by tenants: never trusted). */
  public Optional<String> statusEntryId(SpiffeIdKey key) {
    return upstreamSpiffeIds.on() ? upstreamSpiffeIds.statusEntryId().apply(key) : Optional.empty();
  }

  /**
   * True if {@code owner} holds the entry by a claim rather than by our mark: taken over from
   * spire-controller-manager, or upstream's entry adopted by a SpiffeID.
   */
  public boolean isClaimed(Subject owner, Entry entry) {
    return isTakenOver(entry) || (owner instanceof SpiffeIdKey && !ids.isMarked(entry.id()));
  }

  /**
   * The subject that owns an entry read from SPIRE, if any.
   *
   * @param liveSubjectWithId the live subject whose marked ID is the argument, or null
   * @param claimedBy the subject that claims the entry with this ID, taken over ({@link
   *     Takeover#claims}) or upstream's SpiffeID entry ({@link #isUpstreamEntryOf}), or null
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
    Optional<Subject> structural = structuralOwner(entry);
    if (structural.isPresent() || !upstreamSpiffeIds.on()) {
      return structural;
    }
    return Optional.ofNullable(claimedBy.apply(entry.id())).filter(SpiffeIdKey.class::isInstance);
  }

  /**
   * True if {@code subject} may take {@code entry} as its own when SPIRE answers a create with it
   * (ALREADY_EXISTS: a similar entry exists): only its own marked entry, or an unmarked one of the
   * shape upstream's registrar wrote for that very subject, or one taken over from
   * spire-controller-manager (SPIRE found it similar to what the subject wants). A SpiffeID adopts
   * no entry it did not create.
   */
  public boolean mayAdopt(Subject subject, Entry entry) {
    return mayAdopt(subject, entry, null);
  }

  /**
   * {@link #mayAdopt(Subject, Entry)}, and a SpiffeID wanting {@code desired} adopts upstream's
   * entry for it ({@link #isUpstreamEntryOf}).
   */
  public boolean mayAdopt(Subject subject, Entry entry, Desired desired) {
    if (ids.isMarked(entry.id())) {
      return ids.idFor(subject).equals(entry.id());
    }
    if (takeover.covers(entry.id())) {
      return Takeover.mayClaim(subject);
    }
    Optional<Subject> structural = structuralOwner(entry);
    if (structural.isPresent()) {
      return structural.get().equals(subject);
    }
    return subject instanceof SpiffeIdKey key && isUpstreamEntryOf(key, entry, desired);
  }

  /**
   * True if the unmarked {@code entry} is the one upstream's registrar wrote for the live SpiffeID
   * {@code key}, which wants {@code desired} (rule 4, pure but for reading the SpiffeID's status
   * from the cluster view): its ID is the one {@code status.entryId} names; its SPIFFE ID, parent
   * and selectors are those of the wanted entry; and, unless the SpiffeID's namespace is
   * privileged, it is neither admin nor downstream and every DNS name of it is one the wanted entry
   * has. The wanted entry passed tenant confinement, so a confined SpiffeID can only ever adopt an
   * entry that grants what it may ask for itself.
   */
  public boolean isUpstreamEntryOf(SpiffeIdKey key, Entry entry, Desired desired) {
    return upstreamSpiffeIds.on() && refusal(key, entry, desired).isEmpty();
  }

  /**
   * Why the SpiffeID {@code key}, wanting {@code desired}, does not adopt the unmarked {@code
   * entry} ({@link #isUpstreamEntryOf}), for its log line and condition, the entry's own
   * shortcomings before a status that does not name it, or that adoption is off (naming the key);
   * empty if it adopts it, or if the entry is marked or taken over (nothing to explain).
   */
  public Optional<String> upstreamRefusal(SpiffeIdKey key, Entry entry, Desired desired) {
    if (ids.isMarked(entry.id()) || takeover.covers(entry.id())) {
      return Optional.empty();
    }
    if (!upstreamSpiffeIds.on()) {
      return Optional.of(
          "adopt_upstream_spiffeid_entries is off; with it on, the entry upstream's registrar wrote"
              + " for this SpiffeID is kept if it grants no more than the SpiffeID asks for");
    }
    return refusal(key, entry, desired);
  }

  private Optional<String> refusal(SpiffeIdKey key, Entry entry, Desired desired) {
    if (ids.isMarked(entry.id()) || takeover.covers(entry.id())) {
      return Optional.of("its ID is not upstream's");
    }
    if (!(desired instanceof Desired.Wanted wanted)) {
      return Optional.of("the SpiffeID wants no entry");
    }
    if (!entry.similarityKey().equals(wanted.entry().similarityKey())) {
      return Optional.of("its SPIFFE ID, parent or selectors are not those the SpiffeID asks for");
    }
    if (upstreamSpiffeIds.confined().test(key.namespace())) {
      if (entry.admin() || entry.downstream()) {
        return Optional.of(
            "it is admin or downstream, which the SpiffeID's namespace may not have");
      }
      if (!Set.copyOf(wanted.entry().dnsNames()).containsAll(entry.dnsNames())) {
        return Optional.of("it has DNS names the SpiffeID does not ask for");
      }
    }
    if (statusEntryId(key).filter(entry.id()::equals).isEmpty()) {
      return Optional.of("the SpiffeID's status.entryId does not name it");
    }
    return Optional.empty();
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
