package org.spireoperator.spire.testserver;

import io.grpc.Status;

/**
 * What differs between SPIRE server versions in what the test server answers; everything else is
 * the same from 1.10 to 1.15.
 *
 * <ul>
 *   <li>{@link #V1_10} (1.10.x): every datastore failure of BatchCreateEntry/BatchUpdateEntry is
 *       INTERNAL (negative TTL, mixed selector types with store_svid, invalid or taken custom entry
 *       ID, update of an unknown ID, duplicate selector or DNS name). Entries have no additional
 *       attributes.
 *   <li>{@link #V1_11} (1.11 to 1.14, spire#5506): those failures keep their meaning:
 *       INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS.
 *   <li>{@link #V1_15} (1.15): as 1.11, and entries carry {@code additional_attributes}.
 * </ul>
 *
 * In all of them {@code federates_with} naming a trust domain without bundle fails the item with
 * INTERNAL.
 */
public enum ServerSemantics {
  V1_10,
  V1_11,
  V1_15;

  /** A datastore validation failure (the API layer accepted the entry). */
  Status.Code invalidEntry() {
    return this == V1_10 ? Status.Code.INTERNAL : Status.Code.INVALID_ARGUMENT;
  }

  /** Prefix of datastore validation messages. */
  String invalidEntrySource() {
    return this == V1_10 ? "datastore-sql: " : "datastore-validation: ";
  }

  /** BatchUpdateEntry of an ID the server does not hold. */
  Status.Code unknownEntryOnUpdate() {
    return this == V1_10 ? Status.Code.INTERNAL : Status.Code.NOT_FOUND;
  }

  /**
   * A unique constraint of the datastore: custom entry ID taken, duplicate selector or DNS name in
   * one entry.
   */
  Status.Code constraintViolation() {
    return this == V1_10 ? Status.Code.INTERNAL : Status.Code.ALREADY_EXISTS;
  }

  /** Whether entries keep {@code additional_attributes} (older servers drop the unknown field). */
  boolean hasAdditionalAttributes() {
    return this == V1_15;
  }
}
