package org.spireoperator.bench.scenarios;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spireoperator.bench.measure.Clock;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.Selector;
import org.spireoperator.spire.SpiffeId;

/**
 * Entries that belong to someone else, preloaded for the scale run:
 *
 * <ul>
 *   <li>node entries of 20 other clusters, children of the server like ours, under {@code
 *       spire-k8s-registrar/<other cluster>/node/} (our full pass reads them: they share its first
 *       listing);
 *   <li>pod entries under those nodes, in 40 namespaces of their own, and 1 in 100 in namespace
 *       {@code bench} with the very selectors our pods get ({@code k8s:ns:bench}, {@code
 *       k8s:pod-name:pod-<n>}) but another parent;
 *   <li>1 in 10 under join-token agents, with {@code unix} selectors.
 * </ul>
 *
 * <p>Written straight into the stopped server's datastore (sqlite or PostgreSQL), in one
 * transaction: through the API, 500,000 entries take hours on this machine, since spire-server 1.10
 * checks every new entry for a similar one with a query that intersects all entries sharing any of
 * its selectors. The rows are what the server itself writes for an entry without DNS names or
 * federation (tables {@code registered_entries} and {@code selectors}); the server loads them at
 * start like any other.
 */
final class ForeignEntries {

  private static final Logger LOG = LoggerFactory.getLogger(ForeignEntries.class);
  private static final int CLUSTERS = 20;
  private static final int NODES_PER_CLUSTER = 250;
  private static final int NAMESPACES = 40;

  private ForeignEntries() {}

  /** The foreign entries, deterministic for {@code total}. */
  static List<Entry> shapes(String td, int total) {
    int nodes = Math.min(total / 20, CLUSTERS * NODES_PER_CLUSTER);
    List<Entry> all = new ArrayList<>(total);
    for (int i = 0; i < nodes; i++) {
      String cluster = "other-" + (i % CLUSTERS);
      String node = "fnode-" + i;
      all.add(
          Entry.of(
              foreignNode(td, cluster, node),
              SpiffeId.server(td),
              List.of(
                  new Selector("k8s_psat", "cluster:" + cluster),
                  new Selector("k8s_psat", "agent_node_name:" + node))));
    }
    for (int i = 0; all.size() < total; i++) {
      String cluster = "other-" + (i % CLUSTERS);
      String node = "fnode-" + (nodes == 0 ? 0 : i % nodes);
      if (i % 10 == 9) {
        all.add(
            Entry.of(
                SpiffeId.of(td, "legacy/app-" + i),
                SpiffeId.of(td, "spire/agent/join_token/t-" + (i % 997)),
                List.of(
                    new Selector("unix", "uid:" + (1000 + i % 5000)),
                    new Selector("unix", "gid:" + i))));
      } else if (i % 100 == 0) {
        all.add(
            Entry.of(
                SpiffeId.of(td, "ns/bench/sa/default"),
                foreignNode(td, cluster, node),
                List.of(Selector.k8s("ns", "bench"), Selector.k8s("pod-name", "pod-" + i))));
      } else {
        String ns = "team-" + (i % NAMESPACES);
        all.add(
            Entry.of(
                SpiffeId.of(td, "ns/" + ns + "/sa/sa-" + (i % 10)),
                foreignNode(td, cluster, node),
                List.of(Selector.k8s("ns", ns), Selector.k8s("pod-name", "app-" + i))));
      }
    }
    return all;
  }

  /**
   * Writes {@code total} foreign entries into the (stopped) server's datastore at {@code jdbcUrl}
   * (sqlite or PostgreSQL); returns their entry IDs. Row IDs are chosen here (after the highest
   * present), so rows go in batches; PostgreSQL's ID sequence is moved past them afterwards.
   */
  static Set<String> writeInto(String jdbcUrl, String td, int total) {
    long t0 = Clock.now();
    boolean postgres = jdbcUrl.startsWith("jdbc:postgresql:");
    List<Entry> all = shapes(td, total);
    Set<String> ids = new HashSet<>(total * 2);
    java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    String sqliteNow =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSSxxx")
            .format(now);
    try (Connection db = DriverManager.getConnection(jdbcUrl)) {
      if (!postgres) {
        try (Statement s = db.createStatement()) {
          s.execute("PRAGMA synchronous = OFF");
        }
      }
      db.setAutoCommit(false);
      long rowId;
      try (Statement s = db.createStatement();
          ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM registered_entries")) {
        r.next();
        rowId = r.getLong(1);
      }
      try (PreparedStatement entry =
              db.prepareStatement(
                  "INSERT INTO registered_entries (id, created_at, updated_at, "
                      + "entry_id, spiffe_id, parent_id, ttl, admin, downstream, expiry, revision_number, store_svid, hint, "
                      + "jwt_svid_ttl) VALUES (?, ?, ?, ?, ?, ?, 0, false, false, 0, 0, false, '', 0)");
          PreparedStatement selector =
              db.prepareStatement(
                  "INSERT INTO selectors (created_at, updated_at, "
                      + "registered_entry_id, type, value) VALUES (?, ?, ?, ?, ?)")) {
        for (Entry e : all) {
          String id = UUID.randomUUID().toString();
          rowId++;
          entry.setLong(1, rowId);
          timestamp(entry, 2, postgres, now, sqliteNow);
          timestamp(entry, 3, postgres, now, sqliteNow);
          entry.setString(4, id);
          entry.setString(5, e.spiffeId().toString());
          entry.setString(6, e.parentId().toString());
          entry.addBatch();
          for (Selector sel : e.selectors()) {
            timestamp(selector, 1, postgres, now, sqliteNow);
            timestamp(selector, 2, postgres, now, sqliteNow);
            selector.setLong(3, rowId);
            selector.setString(4, sel.type());
            selector.setString(5, sel.value());
            selector.addBatch();
          }
          ids.add(id);
          if (ids.size() % 1000 == 0) {
            entry.executeBatch();
            selector.executeBatch();
          }
        }
        entry.executeBatch();
        selector.executeBatch();
      }
      if (postgres) {
        try (Statement s = db.createStatement()) {
          s.execute(
              "SELECT setval(pg_get_serial_sequence('registered_entries', 'id'), MAX(id))"
                  + " FROM registered_entries");
        }
      }
      db.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "writing foreign entries into " + jdbcUrl + " failed: " + e.getMessage(), e);
    }
    LOG.atInfo()
        .addKeyValue("entries", ids.size())
        .addKeyValue("s", String.format("%.1f", Clock.secondsSince(t0)))
        .log("foreign entries written into the datastore");
    return ids;
  }

  private static void timestamp(
      PreparedStatement st,
      int index,
      boolean postgres,
      java.time.OffsetDateTime now,
      String sqliteNow)
      throws SQLException {
    if (postgres) {
      st.setObject(index, now);
    } else {
      st.setString(index, sqliteNow);
    }
  }

  private static SpiffeId foreignNode(String td, String cluster, String node) {
    return SpiffeId.of(td, "spire-k8s-registrar/" + cluster + "/node/" + node);
  }
}
