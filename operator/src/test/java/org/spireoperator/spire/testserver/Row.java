package org.spireoperator.spire.testserver;

/**
 * A stored value with its datastore row number. SPIRE's SQL datastore orders listings by this
 * auto-increment row ID (creation order, not the entry's UUID) and uses it as page token.
 */
record Row<T>(long id, T value) {}
