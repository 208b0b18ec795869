package org.spireoperator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command-line flags of spire-controller-manager v0.6.4 besides {@code -config} and {@code
 * -kubeconfig} (which apply to any configuration file): they take effect with its configuration
 * file only. Null means not given.
 *
 * @param spireApiSocket {@code -spire-api-socket}: the server's socket when the file names none
 *     (deprecated there)
 * @param expandEnv {@code -expand-env}: expand {@code $VAR} and {@code ${VAR}} in the file
 * @param zapLogLevel {@code -zap-log-level}: {@code debug}, {@code info}, {@code error}, {@code
 *     panic} or a number above 0 (more verbose); wins over the file's {@code logLevel}
 * @param zapEncoder {@code -zap-encoder}: {@code json} or {@code console}; wins over {@code
 *     logEncoding}
 * @param zapDevel {@code -zap-devel}: accepted without effect
 * @param zapStacktraceLevel {@code -zap-stacktrace-level}: accepted without effect
 * @param zapTimeEncoding {@code -zap-time-encoding}: accepted without effect
 */
public record ControllerManagerFlags(
    String spireApiSocket,
    Boolean expandEnv,
    String zapLogLevel,
    String zapEncoder,
    Boolean zapDevel,
    String zapStacktraceLevel,
    String zapTimeEncoding) {

  /** No flag given. */
  public static final ControllerManagerFlags NONE =
      new ControllerManagerFlags(null, null, null, null, null, null, null);

  private static final Set<String> ZAP_LEVELS = Set.of("debug", "info", "error", "panic");
  private static final Set<String> ZAP_STACKTRACE_LEVELS = Set.of("info", "error", "panic");
  private static final Set<String> ZAP_TIME_ENCODINGS =
      Set.of("epoch", "millis", "nano", "iso8601", "rfc3339", "rfc3339nano");

  /** The flags given, by name, for messages. */
  public List<String> given() {
    List<String> out = new ArrayList<>();
    if (spireApiSocket != null) {
      out.add("-spire-api-socket");
    }
    if (expandEnv != null) {
      out.add("-expand-env");
    }
    if (zapLogLevel != null) {
      out.add("-zap-log-level");
    }
    if (zapEncoder != null) {
      out.add("-zap-encoder");
    }
    if (zapDevel != null) {
      out.add("-zap-devel");
    }
    if (zapStacktraceLevel != null) {
      out.add("-zap-stacktrace-level");
    }
    if (zapTimeEncoding != null) {
      out.add("-zap-time-encoding");
    }
    return out;
  }

  public boolean expandsEnvironment() {
    return Boolean.TRUE.equals(expandEnv);
  }

  /**
   * Checks the values as spire-controller-manager's flag parsing does.
   *
   * @throws ConfigException naming the flag and its allowed values
   */
  public void check() {
    if (spireApiSocket != null && spireApiSocket.isEmpty()) {
      throw flag("-spire-api-socket", "is empty", "give the path of the SPIRE server's socket");
    }
    if (zapLogLevel != null && zapLevel(zapLogLevel) == null) {
      throw flag(
          "-zap-log-level",
          "must be \"debug\", \"info\", \"error\", \"panic\" or a number above 0, got \""
              + zapLogLevel
              + "\"",
          "write e.g. -zap-log-level=info");
    }
    oneOf("-zap-encoder", zapEncoder, Set.of("json", "console"));
    oneOf("-zap-stacktrace-level", zapStacktraceLevel, ZAP_STACKTRACE_LEVELS);
    oneOf("-zap-time-encoding", zapTimeEncoding, ZAP_TIME_ENCODINGS);
  }

  /** Our log level for a zap level; null if it is none. */
  static String zapLevel(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (ZAP_LEVELS.contains(v)) {
      return Map.of("debug", "debug", "info", "info", "error", "error", "panic", "error").get(v);
    }
    if (v.matches("[0-9]{1,9}") && Integer.parseInt(v) > 0) {
      return "debug";
    }
    return null;
  }

  private static void oneOf(String name, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
      throw flag(
          name,
          "must be one of "
              + allowed.stream().sorted().map(a -> "\"" + a + "\"").toList()
              + ", got \""
              + value
              + "\"",
          "write e.g. " + name + "=" + allowed.stream().sorted().findFirst().orElseThrow());
    }
  }

  private static ConfigException flag(String name, String problem, String fix) {
    return new ConfigException("command line", "flag " + name + " " + problem + ": " + fix);
  }
}
