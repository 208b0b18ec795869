package org.spireoperator.registration;

/** The name of a ClusterStaticEntry: the subject of its one entry. */
public record StaticEntryKey(String name) implements Subject {

  @Override
  public String kind() {
    return "clusterstaticentry";
  }

  @Override
  public String toString() {
    return name;
  }
}
