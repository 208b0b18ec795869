package org.spireoperator.spire;

import io.grpc.Status;

/**
 * The per-item result of a batch create or update of federation relationships: the relationship as
 * the server answered it (null on failure), the status code and message.
 */
public record FederationOutcome(
    FederationRelationship requested,
    FederationRelationship relationship,
    Status.Code code,
    String message) {

  public boolean succeeded() {
    return code == Status.Code.OK;
  }
}
