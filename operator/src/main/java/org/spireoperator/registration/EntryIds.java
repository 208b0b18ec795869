package org.spireoperator.registration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The mark this operator puts on every entry it creates: an entry ID it chooses itself, {@code
 * <prefix><kind>.<32 hex digits>} ({@code kind}: node, pod, sid, csid, cse), where the hex digits
 * are the first 128 bits of the SHA-256 of the subject's kind, namespace and name. A subject's
 * entry ID is therefore known without reading SPIRE, and nothing a tenant writes (status, labels,
 * names in another namespace) can make an entry of one subject look like an entry of another.
 *
 * <p>An ID is marked by this operator exactly when it is the prefix followed by one of the kinds, a
 * dot and 32 lowercase hex digits; nothing else may follow. So prefixes that extend each other
 * ({@code r.demo.} and {@code r.demo.x.}) never claim each other's entries. SPIRE accepts entry IDs
 * of at most 255 characters from {@code [-._0-9A-Za-z]}.
 *
 * @param prefix the configured {@code entry_id_prefix}, e.g. {@code spire-k8s-registrar.demo.}
 */
public record EntryIds(String prefix) {

  private static final Pattern PREFIX = Pattern.compile("[-._0-9A-Za-z]{1,150}");
  private static final Pattern SUFFIX = Pattern.compile("(node|pod|sid|csid|cse)\\.[0-9a-f]{32}");

  /** The longest prefix: SPIRE takes 255 characters and the operator adds up to 37. */
  public static final int MAX_PREFIX = 150;

  public EntryIds {
    Objects.requireNonNull(prefix, "prefix");
    if (!isPrefix(prefix)) {
      throw new IllegalArgumentException(
          "entry ID prefix must be 1 to 150 characters of [-._0-9A-Za-z]: " + prefix);
    }
  }

  /** True for 1 to {@value #MAX_PREFIX} characters of {@code [-._0-9A-Za-z]}. */
  public static boolean isPrefix(String prefix) {
    return prefix != null && PREFIX.matcher(prefix).matches();
  }

  /** The default prefix for a controller name and cluster: {@code <controller>.<cluster>.}. */
  public static EntryIds forCluster(String controllerName, String cluster) {
    return new EntryIds(controllerName + "." + cluster + ".");
  }

  /** The ID of the entry this operator creates for {@code subject}; orphans keep their own. */
  public String idFor(Subject subject) {
    if (subject instanceof NodeKey n) {
      return mark("node", n.name());
    }
    if (subject instanceof PodKey p) {
      return mark("pod", p.namespace() + "/" + p.name());
    }
    if (subject instanceof SpiffeIdKey s) {
      return mark("sid", s.namespace() + "/" + s.name());
    }
    if (subject instanceof WorkloadKey w) {
      return mark("csid", w.clusterSpiffeId() + "/" + w.namespace() + "/" + w.pod());
    }
    if (subject instanceof StaticEntryKey e) {
      return mark("cse", e.name());
    }
    return ((OrphanKey) subject).entryId();
  }

  /** True if this operator created an entry with this ID (for some subject, live or not). */
  public boolean isMarked(String entryId) {
    return entryId != null
        && entryId.startsWith(prefix)
        && SUFFIX.matcher(entryId).region(prefix.length(), entryId.length()).matches();
  }

  private String mark(String kind, String name) {
    return prefix + kind + "." + hash(kind + "\n" + name);
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
