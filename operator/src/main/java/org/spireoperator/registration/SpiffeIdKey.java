package org.spireoperator.registration;

/** Namespace and name of a SpiffeID resource: the subject its one entry belongs to. */
public record SpiffeIdKey(String namespace, String name) implements Subject {

  @Override
  public String kind() {
    return "spiffeid";
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
