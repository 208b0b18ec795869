package org.spireoperator.registration;

/** Name of a Node: the subject a node entry belongs to. */
public record NodeKey(String name) implements Subject {

  @Override
  public String kind() {
    return "node";
  }

  @Override
  public String toString() {
    return name;
  }
}
