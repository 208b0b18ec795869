package org.spireoperator.config;

/** The selectors of the pod entries the operator writes ({@code pod_entry_shape} key). */
public enum PodEntryShape {
  /**
   * {@code k8s:ns:<namespace>} and {@code k8s:pod-name:<name>}, as upstream's registrar wrote (plus
   * {@code k8s:pod-uid:<uid>} with {@code pod_uid_selector}). The default.
   */
  UPSTREAM("upstream"),
  /**
   * One {@code k8s:pod-uid:<uid>} selector: cheap for the SPIRE server, which compares a new entry
   * with every entry sharing one of its selectors.
   */
  POD_UID("pod_uid");

  private final String hclValue;

  PodEntryShape(String hclValue) {
    this.hclValue = hclValue;
  }

  /** The value as written in the configuration file. */
  public String hclValue() {
    return hclValue;
  }
}
