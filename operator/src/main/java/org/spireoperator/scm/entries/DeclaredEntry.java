package org.spireoperator.scm.entries;

import java.util.Objects;
import org.spireoperator.spire.Entry;

/**
 * An entry a ClusterSPIFFEID (for one pod) or a ClusterStaticEntry declares.
 *
 * @param pod {@code namespace/name} of the pod it is for; empty for a static entry
 */
public record DeclaredEntry(Entry entry, Declarer by, String pod) {

  public DeclaredEntry {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(by, "by");
    pod = pod == null ? "" : pod;
  }

  /** SPIFFE ID, parent and selector set: declarations with the same key mask each other. */
  public Entry.SimilarityKey key() {
    return entry.similarityKey();
  }
}
