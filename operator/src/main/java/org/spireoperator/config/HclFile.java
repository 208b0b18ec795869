package org.spireoperator.config;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HCL text into hcl4j's tree: a map from keys to String, Double, Boolean, List or (for blocks
 * and objects) Map values; a block given twice becomes a List of maps; a bare identifier becomes an
 * hcl4j symbol object.
 */
final class HclFile {

  private static final Pattern ILLEGAL_CHARACTER =
      Pattern.compile(
          "Illegal character <\\((.*)\\) - state: \\d+> found on line: (\\d+) col: (\\d+)",
          Pattern.DOTALL);

  private HclFile() {}

  /**
   * @throws ConfigException for syntax errors, with the line where known
   */
  static Map<String, Object> parse(String text, String source) {
    HclSyntaxCheck.check(text, source);
    try {
      return new HCLParser().parse(text, false);
    } catch (HCLParserException | IOException | RuntimeException e) {
      throw syntaxError(source, e);
    }
  }

  private static ConfigException syntaxError(String source, Exception e) {
    Throwable cause = e;
    while (!(cause instanceof HCLParserException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    Matcher m = ILLEGAL_CHARACTER.matcher(message);
    if (m.find()) {
      String character = m.group(1).replace("\n", "\\n").replace("\r", "\\r");
      return new ConfigException(
          source,
          "line "
              + m.group(2)
              + ", column "
              + m.group(3)
              + ": HCL syntax error: unexpected character \""
              + character
              + "\": fix the syntax there (strings take double quotes, values follow \"key =\")",
          e);
    }
    return new ConfigException(source, "HCL syntax error: " + message + ": fix the syntax", e);
  }
}
