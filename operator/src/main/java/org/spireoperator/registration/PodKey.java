package org.spireoperator.registration;

/** Namespace and name of a Pod: the subject a pod entry belongs to. */
public record PodKey(String namespace, String name) implements Subject {

  @Override
  public String kind() {
    return "pod";
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
