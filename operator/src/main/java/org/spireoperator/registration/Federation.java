package org.spireoperator.registration;

import java.util.Map;
import java.util.TreeSet;
import org.spireoperator.spire.SpiffeId;

/** The {@code spiffe.io/federatesWith} annotation: a comma-separated list of trust domains. */
public final class Federation {

  public static final String ANNOTATION = "spiffe.io/federatesWith";

  private Federation() {}

  /** The parsed trust domains, or why the annotation is invalid. */
  public record TrustDomains(TreeSet<String> names, String problem) {}

  public static TrustDomains of(Map<String, String> annotations) {
    TreeSet<String> names = new TreeSet<>();
    String value = annotations.get(ANNOTATION);
    if (value == null) {
      return new TrustDomains(names, null);
    }
    for (String raw : value.split(",")) {
      String td = raw.trim();
      if (td.startsWith("spiffe://")) {
        td = td.substring("spiffe://".length());
      }
      if (td.isEmpty()) {
        continue;
      }
      String problem = SpiffeId.trustDomainProblem(td);
      if (problem != null) {
        return new TrustDomains(
            new TreeSet<>(), "annotation " + ANNOTATION + " names an invalid " + problem);
      }
      names.add(td);
    }
    return new TrustDomains(names, null);
  }
}
