package org.spireoperator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the operator reaches the SPIRE server and how it sizes its calls.
 *
 * @param serverAddress {@code server_address}, or {@code unix://} + {@code server_socket_path}
 * @param agentSocketPath {@code agent_socket_path}: the Workload API socket whose X509-SVID
 *     authenticates a TCP connection (nullable; required for a TCP server address)
 * @param timeout {@code spire_timeout}: deadline of each call (positive)
 * @param pageSize {@code page_size}: entries per listing page (1 to {@link #MAX_PAGE_SIZE})
 * @param batchSize {@code batch_size}: entries per batch write (1 to {@link #MAX_BATCH_SIZE})
 */
public record SpireConnection(
    String serverAddress, String agentSocketPath, Duration timeout, int pageSize, int batchSize) {

  public static final int MAX_BATCH_SIZE = 1000;
  public static final int MAX_PAGE_SIZE = 10_000;

  public SpireConnection {
    Objects.requireNonNull(serverAddress, "serverAddress");
    if (!Durations.isPositive(timeout)) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be within 1.." + MAX_BATCH_SIZE);
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("pageSize must be within 1.." + MAX_PAGE_SIZE);
    }
  }

  /**
   * Whether the SPIRE server is reached over its local Unix domain socket (admin without
   * credentials).
   */
  public boolean serverIsUnixSocket() {
    return Addresses.isUnixSocket(serverAddress);
  }

  /** The server's Unix domain socket path, when {@link #serverIsUnixSocket()}. */
  public Optional<Path> serverSocketPath() {
    return serverIsUnixSocket()
        ? Optional.of(Path.of(serverAddress.substring(Addresses.UNIX_SCHEME.length())))
        : Optional.empty();
  }

  /** The agent's Workload API socket, when one is configured. */
  public Optional<Path> agentSocket() {
    return Optional.ofNullable(agentSocketPath).map(Path::of);
  }
}
