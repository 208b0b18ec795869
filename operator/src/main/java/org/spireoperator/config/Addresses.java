package org.spireoperator.config;

import java.util.regex.Pattern;

/** Syntax of the network addresses the configuration holds. */
final class Addresses {

  static final String UNIX_SCHEME = "unix://";

  private static final Pattern HOST_NAME_OR_IPV4 =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?");

  private Addresses() {}

  /**
   * {@code [host]:port} to listen on: the host may be empty (all interfaces), a name, IPv4 or
   * [IPv6].
   */
  static boolean isListenAddress(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0 || !isPort(s.substring(colon + 1))) {
      return false;
    }
    String host = s.substring(0, colon);
    return host.isEmpty() || isHost(host);
  }

  /** {@code unix:///absolute/path} or {@code host:port} of a SPIRE server. */
  static boolean isServerAddress(String s) {
    if (s.startsWith(UNIX_SCHEME)) {
      return isAbsolutePath(s.substring(UNIX_SCHEME.length()));
    }
    int colon = s.lastIndexOf(':');
    return colon > 0 && isPort(s.substring(colon + 1)) && isHost(s.substring(0, colon));
  }

  static boolean isUnixSocket(String serverAddress) {
    return serverAddress.startsWith(UNIX_SCHEME);
  }

  static boolean isAbsolutePath(String path) {
    return path.startsWith("/") && path.length() > 1 && !path.contains("\0");
  }

  private static boolean isHost(String host) {
    if (host.startsWith("[") && host.endsWith("]")) {
      return host.length() > 2 && IPV6.matcher(host.substring(1, host.length() - 1)).matches();
    }
    return host.length() <= 253 && HOST_NAME_OR_IPV4.matcher(host).matches();
  }

  private static boolean isPort(String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int value = Integer.parseInt(port);
    return value >= 1 && value <= 65535;
  }
}
