package org.spireoperator.spire;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the SPIRE server listens: a unix domain socket path, or a TCP host and port (mTLS via the
 * agent's SVID).
 */
public sealed interface SpireAddress {

  /** The unix socket the server listens on by default. */
  String DEFAULT_SOCKET = "/tmp/spire-server/private/api.sock";

  record Unix(Path socket) implements SpireAddress {
    public Unix {
      Objects.requireNonNull(socket, "socket");
    }

    @Override
    public String toString() {
      return "unix://" + socket;
    }
  }

  record Tcp(String host, int port) implements SpireAddress {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /**
   * Parses {@code unix:///path}, {@code unix:/path}, a bare absolute path, or {@code host:port};
   * throws {@link IllegalArgumentException} with the accepted forms otherwise.
   */
  static SpireAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "SPIRE server address is empty: use unix:///path/to/api.sock or host:port");
    }
    if (text.startsWith("unix://")) {
      return new Unix(Path.of(text.substring("unix://".length())));
    }
    if (text.startsWith("unix:")) {
      return new Unix(Path.of(text.substring("unix:".length())));
    }
    if (text.startsWith("/")) {
      return new Unix(Path.of(text));
    }
    int colon = text.lastIndexOf(':');
    if (colon > 0 && colon < text.length() - 1) {
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(text.substring(colon + 1));
        if (port > 0 && port < 65536) {
          return new Tcp(host, port);
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException(
        "SPIRE server address \"" + text + "\" is neither unix:///path/to/api.sock nor host:port");
  }
}
