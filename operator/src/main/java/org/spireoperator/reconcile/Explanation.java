package org.spireoperator.reconcile;

import java.util.List;
import org.spireoperator.registration.Desired;
import org.spireoperator.registration.PodKey;
import org.spireoperator.spire.Entry;

/**
 * Why a pod has the entry it has: what the cluster wants for it, which entries it has now, what a
 * reconcile would write, and which agent receives its identity.
 */
public record Explanation(
    PodKey pod, Desired desired, List<Entry> current, EntryDiff pending, String receivedBy) {

  public Explanation {
    current = List.copyOf(current);
  }

  /** Human-readable, several lines. */
  public String render() {
    StringBuilder out = new StringBuilder("pod " + pod + "\n");
    if (desired instanceof Desired.Wanted w) {
      Entry e = w.entry();
      out.append("  wants entry   ")
          .append(e.spiffeId())
          .append('\n')
          .append("  parent        ")
          .append(e.parentId())
          .append('\n')
          .append("  selectors     ")
          .append(e.selectors())
          .append('\n');
      if (!e.dnsNames().isEmpty()) {
        out.append("  dns names     ").append(e.dnsNames()).append('\n');
      }
      if (!e.federatesWith().isEmpty()) {
        out.append("  federates     ").append(e.federatesWith()).append('\n');
      }
      out.append("  received by   ").append(receivedBy).append('\n');
    } else if (desired instanceof Desired.Unwanted u) {
      out.append("  wants no entry: ").append(u.reason()).append('\n');
    } else if (desired instanceof Desired.Rejected r) {
      out.append("  REJECTED (existing entries left as they are): ")
          .append(r.reason())
          .append('\n');
    }
    if (current.isEmpty()) {
      out.append("  has no entry\n");
    }
    for (Entry e : current) {
      out.append("  has entry     ")
          .append(e.id())
          .append(' ')
          .append(e.spiffeId())
          .append(" parent ")
          .append(e.parentId())
          .append('\n');
    }
    out.append(
        pending.isEmpty()
            ? "  in sync\n"
            : "  a reconcile would write: "
                + pending.creates().size()
                + " create, "
                + pending.updates().size()
                + " update, "
                + pending.deletes().size()
                + " delete\n");
    return out.toString();
  }
}
