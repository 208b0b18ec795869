package org.spireoperator.scm.entries;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Objects;

/**
 * The object that declares an entry (a ClusterSPIFFEID or ClusterStaticEntry), with what decides
 * which of several declarations of the same entry wins.
 *
 * <p>{@link #PREFERENCE} is spire-controller-manager's order: older first (creation timestamp),
 * then not being deleted before being deleted, then the one deleted later, then the smaller UID.
 */
public record Declarer(String kind, String name, String uid, Instant createdAt, Instant deletedAt) {

  /** The most preferred declarer first. */
  public static final Comparator<Declarer> PREFERENCE =
      Comparator.comparing(Declarer::createdAt)
          .thenComparing(
              Declarer::deletedAt,
              Comparator.nullsFirst(Comparator.<Instant>naturalOrder().reversed()))
          .thenComparing(Declarer::uid);

  public Declarer {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    uid = uid == null ? "" : uid;
    createdAt = createdAt == null ? Instant.parse("0001-01-01T00:00:00Z") : createdAt;
  }

  public static Declarer of(HasMetadata object) {
    var meta = object.getMetadata();
    return new Declarer(
        object.getKind(),
        meta.getName(),
        meta.getUid(),
        time(meta.getCreationTimestamp()),
        time(meta.getDeletionTimestamp()));
  }

  private static Instant time(String rfc3339) {
    if (rfc3339 == null || rfc3339.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return kind + "/" + name;
  }
}
