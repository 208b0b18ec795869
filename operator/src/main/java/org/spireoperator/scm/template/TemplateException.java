package org.spireoperator.scm.template;

/**
 * A parse or execution problem; never leaves this package ({@link GoTemplate} turns it into a
 * value).
 */
final class TemplateException extends RuntimeException {

  TemplateException(String message) {
    super(message, null, false, false);
  }
}
