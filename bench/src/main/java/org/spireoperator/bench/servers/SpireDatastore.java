package org.spireoperator.bench.servers;

import java.nio.file.Path;
import java.util.Map;

/**
 * The SQL datastore behind the benchmark's spire-server: sqlite3 (a file in the server's work
 * directory, what {@code scripts/spire-server.sh} writes) or PostgreSQL ({@link PostgresServer}).
 */
public interface SpireDatastore {

  /** For the results: what and where. */
  String describe();

  /** Short name for file and section names. */
  String key();

  /** More environment for {@code scripts/spire-server.sh} (e.g. a {@code SPIRE_BIN_DIR}). */
  Map<String, String> serverEnvironment(Map<String, String> spireEnv);

  /** Empties the datastore before a fresh server starts (the sqlite file goes with its dir). */
  void reset();

  /** JDBC URL of the datastore of the server in {@code spireWorkdir}, for direct writes. */
  String jdbcUrl(Path spireWorkdir);

  /** CPU seconds the datastore used so far outside spire-server (0 for sqlite). */
  double cpuSeconds();

  /** The default: sqlite3 in {@code <spire workdir>/data/datastore.sqlite3}. */
  SpireDatastore SQLITE =
      new SpireDatastore() {
        @Override
        public String describe() {
          return "sqlite3 (file on disk in the server's work directory)";
        }

        @Override
        public String key() {
          return "sqlite";
        }

        @Override
        public Map<String, String> serverEnvironment(Map<String, String> spireEnv) {
          return Map.of();
        }

        @Override
        public void reset() {}

        @Override
        public String jdbcUrl(Path spireWorkdir) {
          return "jdbc:sqlite:" + spireWorkdir.resolve("data/datastore.sqlite3");
        }

        @Override
        public double cpuSeconds() {
          return 0;
        }
      };
}
