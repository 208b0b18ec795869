package org.spireoperator.scm.entries;

/**
 * Which objects a controller handles, by their {@code spec.className}, as spire-controller-manager
 * decides it: an object whose class equals the controller's {@code className}, and, with {@code
 * watchClassless}, an object without a class. With an empty {@code className} only objects without
 * a class are handled (whatever {@code watchClassless} says); objects of another class never are.
 */
public record ClassRule(String className, boolean watchClassless) {

  public ClassRule {
    className = className == null ? "" : className;
  }

  /** spire-controller-manager's defaults: no class, so only objects without one. */
  public static ClassRule classless() {
    return new ClassRule("", false);
  }

  public boolean handles(String objectClassName) {
    String c = objectClassName == null ? "" : objectClassName;
    return (c.isEmpty() && watchClassless) || c.equals(className);
  }
}
