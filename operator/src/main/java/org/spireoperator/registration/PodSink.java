package org.spireoperator.registration;

/** Where pod identities go. */
public enum PodSink {
  /** Straight into SPIRE entries (reconcile and webhook modes). */
  ENTRIES,
  /**
   * Into SpiffeID objects, which the SpiffeID controller registers ({@code mode = "crd"},
   * pod_controller).
   */
  SPIFFEID_MIRROR,
  /**
   * Nowhere: only SpiffeID resources and node entries ({@code mode = "crd"}, {@code pod_controller
   * = false}).
   */
  NONE
}
