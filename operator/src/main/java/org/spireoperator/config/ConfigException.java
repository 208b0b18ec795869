package org.spireoperator.config;

/**
 * The configuration cannot be used. The message is a single line naming the file, the key (when
 * there is one) and how to fix it, ready to be printed as is.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ConfigException(String source, String detail) {
    super(source + ": " + oneLine(detail));
  }

  ConfigException(String source, String detail, Throwable cause) {
    super(source + ": " + oneLine(detail), cause);
  }

  /** {@code <source>: key "<key>" <problem>: <fix>}. */
  static ConfigException forKey(String source, String key, String problem, String fix) {
    return new ConfigException(source, "key \"" + key + "\" " + problem + ": " + fix);
  }

  /** {@code <source>: line <n>: HCL syntax error: <problem>: <fix>}. */
  static ConfigException syntax(String source, int line, String problem, String fix) {
    return new ConfigException(
        source, "line " + line + ": HCL syntax error: " + problem + ": " + fix);
  }

  private static String oneLine(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }
}
