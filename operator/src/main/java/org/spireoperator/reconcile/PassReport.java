package org.spireoperator.reconcile;

import java.time.Duration;

/**
 * What a full pass found: the entries it owns, the subjects that want an entry, the subjects it
 * queued because their entries differ from what they want (0 on an idle cluster: a pass with
 * nothing changed writes nothing), the ListEntries calls it made, and how long it took.
 */
public record PassReport(int owned, int desired, int queued, int listCalls, Duration took) {}
