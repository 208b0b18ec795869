package org.spireoperator.reconcile;

import org.spireoperator.registration.Diagnostic;

/**
 * Where the engine tells the user what they should hear (Warning Events, a log line): must not
 * block and must not fail (a slow or broken API server never stalls reconciliation).
 */
@FunctionalInterface
public interface Diagnostics {

  void report(Diagnostic diagnostic);

  Diagnostics NONE = d -> {};
}
