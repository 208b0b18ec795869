package org.spireoperator.spire;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A SPIRE registration entry as the operator sees it. {@code id} is null for an entry that is only
 * desired, not yet created. Selectors and federated trust domains are sets (their order carries no
 * meaning); DNS names keep their order because the first one becomes the X509-SVID's common name.
 *
 * <p>Server-maintained fields ({@code revisionNumber}, {@code createdAt}) are carried but ignored
 * by {@link #sameRegistration(Entry)}, which decides whether an update is needed.
 */
public record Entry(
    String id,
    SpiffeId spiffeId,
    SpiffeId parentId,
    SortedSet<Selector> selectors,
    List<String> dnsNames,
    SortedSet<String> federatesWith,
    int x509SvidTtl,
    int jwtSvidTtl,
    boolean admin,
    boolean downstream,
    String hint,
    boolean storeSvid,
    long expiresAt,
    long revisionNumber,
    long createdAt) {

  public Entry {
    Objects.requireNonNull(spiffeId, "spiffeId");
    Objects.requireNonNull(parentId, "parentId");
    selectors =
        Collections.unmodifiableSortedSet(
            new TreeSet<>(Objects.requireNonNull(selectors, "selectors")));
    dnsNames = List.copyOf(dnsNames == null ? List.of() : dnsNames);
    federatesWith =
        federatesWith == null || federatesWith.isEmpty()
            ? Collections.emptySortedSet()
            : Collections.unmodifiableSortedSet(new TreeSet<>(federatesWith));
    hint = hint == null ? "" : hint;
  }

  /**
   * A desired entry with the given identity, parent and selectors and every other field at its
   * default.
   */
  public static Entry of(SpiffeId spiffeId, SpiffeId parentId, Collection<Selector> selectors) {
    return new Entry(
        null,
        spiffeId,
        parentId,
        new TreeSet<>(selectors),
        List.of(),
        new TreeSet<>(),
        0,
        0,
        false,
        false,
        "",
        false,
        0,
        0,
        0);
  }

  public Entry withId(String newId) {
    Copy c = new Copy(this);
    c.id = newId;
    return c.build();
  }

  public Entry withParentId(SpiffeId newParent) {
    Copy c = new Copy(this);
    c.parentId = newParent;
    return c.build();
  }

  public Entry withDnsNames(List<String> names) {
    Copy c = new Copy(this);
    c.dnsNames = names;
    return c.build();
  }

  public Entry withFederatesWith(Collection<String> trustDomains) {
    Copy c = new Copy(this);
    c.federatesWith = new TreeSet<>(trustDomains);
    return c.build();
  }

  public Entry withTtls(int x509Ttl, int jwtTtl) {
    Copy c = new Copy(this);
    c.x509SvidTtl = x509Ttl;
    c.jwtSvidTtl = jwtTtl;
    return c.build();
  }

  public Entry withFlags(boolean newAdmin, boolean newDownstream, boolean newStoreSvid) {
    Copy c = new Copy(this);
    c.admin = newAdmin;
    c.downstream = newDownstream;
    c.storeSvid = newStoreSvid;
    return c.build();
  }

  public Entry withHint(String newHint) {
    Copy c = new Copy(this);
    c.hint = newHint;
    return c.build();
  }

  /** A field-by-field copy of an entry, changed by one wither and built once. */
  private static final class Copy {
    private String id;
    private final SpiffeId spiffeId;
    private SpiffeId parentId;
    private final SortedSet<Selector> selectors;
    private List<String> dnsNames;
    private SortedSet<String> federatesWith;
    private int x509SvidTtl;
    private int jwtSvidTtl;
    private boolean admin;
    private boolean downstream;
    private String hint;
    private boolean storeSvid;
    private final long expiresAt;
    private final long revisionNumber;
    private final long createdAt;

    Copy(Entry e) {
      id = e.id;
      spiffeId = e.spiffeId;
      parentId = e.parentId;
      selectors = e.selectors;
      dnsNames = e.dnsNames;
      federatesWith = e.federatesWith;
      x509SvidTtl = e.x509SvidTtl;
      jwtSvidTtl = e.jwtSvidTtl;
      admin = e.admin;
      downstream = e.downstream;
      hint = e.hint;
      storeSvid = e.storeSvid;
      expiresAt = e.expiresAt;
      revisionNumber = e.revisionNumber;
      createdAt = e.createdAt;
    }

    Entry build() {
      return new Entry(
          id,
          spiffeId,
          parentId,
          selectors,
          dnsNames,
          federatesWith,
          x509SvidTtl,
          jwtSvidTtl,
          admin,
          downstream,
          hint,
          storeSvid,
          expiresAt,
          revisionNumber,
          createdAt);
    }
  }

  /**
   * The key under which the SPIRE server considers two entries "similar" (and refuses to create the
   * second): SPIFFE ID, parent ID and selector set.
   */
  public SimilarityKey similarityKey() {
    return new SimilarityKey(spiffeId, parentId, selectors);
  }

  /**
   * True if both register the same thing: every field the operator manages is equal (IDs and
   * revisions ignored).
   */
  public boolean sameRegistration(Entry other) {
    return spiffeId.equals(other.spiffeId)
        && parentId.equals(other.parentId)
        && selectors.equals(other.selectors)
        && dnsNames.equals(other.dnsNames)
        && federatesWith.equals(other.federatesWith)
        && x509SvidTtl == other.x509SvidTtl
        && jwtSvidTtl == other.jwtSvidTtl
        && admin == other.admin
        && downstream == other.downstream
        && hint.equals(other.hint)
        && storeSvid == other.storeSvid
        && expiresAt == other.expiresAt;
  }

  /** Short text for logs and errors. */
  public String describe() {
    return (id == null ? "" : "entry " + id + " ")
        + spiffeId
        + " (parent "
        + parentId
        + ", selectors "
        + selectors
        + ")";
  }

  /** SPIFFE ID, parent and selectors: what makes two entries "similar" to the SPIRE server. */
  public record SimilarityKey(SpiffeId spiffeId, SpiffeId parentId, Set<Selector> selectors) {
    public SimilarityKey {
      selectors = Set.copyOf(selectors);
    }
  }
}
