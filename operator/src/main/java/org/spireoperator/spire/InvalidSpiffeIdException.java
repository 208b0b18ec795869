package org.spireoperator.spire;

/** A string that is no valid SPIFFE ID; the message names the input and the rule it breaks. */
public final class InvalidSpiffeIdException extends IllegalArgumentException {
  private final String input;

  public InvalidSpiffeIdException(String input, String reason) {
    super("invalid SPIFFE ID \"" + input + "\": " + reason);
    this.input = input;
  }

  public String input() {
    return input;
  }
}
