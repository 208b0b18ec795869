package org.spireoperator.registration;

/**
 * An entry that carries this operator's mark ({@link EntryIds}) but whose object no longer exists
 * (deleted while the operator was down, a finalizer stripped, a namespace deleted): it is wanted by
 * nobody and is deleted.
 */
public record OrphanKey(String entryId) implements Subject {

  @Override
  public String kind() {
    return "orphan";
  }

  @Override
  public String toString() {
    return entryId;
  }
}
