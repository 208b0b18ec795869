package org.spireoperator.scm.crd;

/** Group and version of spire-controller-manager's cluster-scoped API. */
public final class ScmApi {

  public static final String GROUP = "spire.spiffe.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Condition type that is {@code True} when everything the object asks for is in SPIRE. */
  public static final String READY = "Ready";

  /** Hints longer than this are refused by the SPIRE server (SPIRE 1.10 and later). */
  public static final int MAX_HINT_LENGTH = 1024;

  private ScmApi() {}
}
