package org.spireoperator.registration;

/** Which selectors pod entries carry ({@code pod_entry_shape}). */
public enum PodEntryShape {
  /**
   * {@code k8s:ns:<ns>} and {@code k8s:pod-name:<name>} (and {@code k8s:pod-uid:<uid>} with {@code
   * pod_uid_selector}), as upstream's registrar writes them: existing entries are adopted as they
   * are.
   */
  UPSTREAM("upstream"),
  /**
   * One {@code k8s:pod-uid:<uid>} selector: unique per pod and never reused, and cheap for the
   * SPIRE server, whose check for a similar entry on every create reads every entry sharing a
   * selector.
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
