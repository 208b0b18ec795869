package org.spireoperator.bench.servers;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.measure.ProcStats;
import org.spireoperator.testing.Script;

/**
 * A local PostgreSQL run by {@code scripts/postgres.sh} for the whole benchmark run; every fresh
 * spire-server gets the database dropped and created again, and runs through the script's {@code
 * spire-bin} wrapper, which points the sqlite3 DataStore that {@code scripts/spire-server.sh}
 * writes at this database.
 */
public final class PostgresServer implements SpireDatastore, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

  private final Script script;
  private final Path workdir;
  private final Map<String, String> env;

  private PostgresServer(Script script, Path workdir, Map<String, String> env) {
    this.script = script;
    this.workdir = workdir;
    this.env = env;
  }

  /**
   * Starts (or finds running) PostgreSQL in {@code workdir}; {@code dataDir} null keeps the data
   * there, else e.g. a directory on tmpfs.
   */
  public static PostgresServer start(Path repoRoot, Path workdir, Path logDir, Path dataDir) {
    Map<String, String> settings = new HashMap<>();
    if (dataDir != null) {
      settings.put("POSTGRES_DATA_DIR", dataDir.toString());
    }
    Script script =
        new Script(
            repoRoot.resolve("scripts/postgres.sh"), logDir.resolve("postgres.sh.log"), settings);
    Map<String, String> env = Script.exports(script.run("start", workdir.toString()));
    LOG.atInfo()
        .addKeyValue("version", env.get("POSTGRES_VERSION"))
        .addKeyValue("port", env.get("POSTGRES_PORT"))
        .addKeyValue("data", env.get("POSTGRES_DATA_DIR"))
        .log("PostgreSQL running");
    return new PostgresServer(script, workdir, env);
  }

  @Override
  public String describe() {
    String data = env.get("POSTGRES_DATA_DIR");
    return "PostgreSQL: "
        + env.get("POSTGRES_VERSION")
        + ", local process on 127.0.0.1 (TCP), data in "
        + data
        + (data.startsWith("/dev/shm") ? " (tmpfs)" : " (disk)")
        + ", default server settings";
  }

  @Override
  public String key() {
    return "postgres";
  }

  @Override
  public Map<String, String> serverEnvironment(Map<String, String> spireEnv) {
    Map<String, String> e = new HashMap<>();
    if (spireEnv.containsKey("SPIRE_VERSION")) {
      e.put("SPIRE_VERSION", spireEnv.get("SPIRE_VERSION"));
    }
    Script withVersion = new Script(script.path(), script.log(), e);
    return Script.exports(withVersion.run("spire-bin", workdir.toString()));
  }

  @Override
  public void reset() {
    script.run("reset", workdir.toString());
  }

  @Override
  public String jdbcUrl(Path spireWorkdir) {
    return env.get("POSTGRES_JDBC_URL");
  }

  @Override
  public double cpuSeconds() {
    return ProcStats.treeCpuSeconds(Long.parseLong(env.get("POSTGRES_PID")));
  }

  @Override
  public void close() {
    script.run("stop", workdir.toString());
  }
}
