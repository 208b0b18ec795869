package org.spireoperator.scm.entries;

import java.util.Objects;

/**
 * What rendering found for one ClusterStaticEntry: whether its spec made an entry ({@code
 * renderProblem} says why not) and whether an older declaration of the same entry masks it.
 */
public record StaticEntryReport(String name, String renderProblem, boolean masked) {

  public StaticEntryReport {
    Objects.requireNonNull(name, "name");
  }

  public boolean rendered() {
    return renderProblem == null;
  }
}
