package org.spireoperator.reconcile;

import java.time.Duration;

/** What a full pass found and did. */
public record PassReport(
    int ownedBefore,
    int desired,
    int created,
    int updated,
    int deleted,
    int failed,
    int listCalls,
    Duration took) {

  public int writes() {
    return created + updated + deleted;
  }
}
