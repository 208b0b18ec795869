package org.spireoperator.spire.contract;

import org.spireoperator.spire.testserver.ServerSemantics;

/**
 * The contract against the in-process test server answering as SPIRE 1.10 (the error codes differ).
 */
class InProcessSpire110ContractTest extends InProcessSpireContractTest {

  @Override
  protected ServerSemantics semantics() {
    return ServerSemantics.V1_10;
  }
}
