package org.spireoperator.spire.testserver;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Paging exactly as SPIRE's SQL datastore pages entries, agents and bundles.
 *
 * <p>One query ({@link #once}) takes up to {@code pageSize} rows after the token's row ID that the
 * SQL filter preselects, drops rows the outer query excludes ({@code keep}, e.g. {@code
 * by_downstream=true}), and answers the last scanned row ID as next token if anything is left, else
 * an empty token. A listing ({@link #list}) then applies the selector post-filter; a page it
 * empties is skipped and the next one fetched. Hence: a page with items always carries a token, the
 * empty page at the end an empty one; page size 0 means one unpaged answer with an empty token.
 */
final class PagedScan {

  record Page<T>(List<T> items, String nextToken) {}

  /**
   * The SQL side of a listing: preselection before the page limit, then what the outer query keeps.
   */
  record Query<T>(Predicate<T> preselect, Predicate<T> keep, Predicate<T> postFilter) {
    static <T> Query<T> of(Predicate<T> preselect) {
      return new Query<>(preselect, t -> true, t -> true);
    }
  }

  private PagedScan() {}

  /**
   * @param pageSize 0 or negative: no paging
   * @param token empty, or the decimal row ID returned by the previous page
   */
  static <T> Page<T> once(
      RowTable<T> table, Query<T> query, int pageSize, String token, String failurePrefix) {
    boolean paged = pageSize > 0;
    long after = paged ? parseToken(token, failurePrefix) : 0;
    List<T> items = new ArrayList<>();
    long lastScanned = 0;
    int scanned = 0;
    for (Row<T> row : table.after(after)) {
      if (!query.preselect().test(row.value())) {
        continue;
      }
      if (paged && scanned == pageSize) {
        break;
      }
      scanned++;
      lastScanned = row.id();
      if (query.keep().test(row.value())) {
        items.add(row.value());
      }
    }
    String next = paged && !items.isEmpty() ? Long.toString(lastScanned) : "";
    return new Page<>(List.copyOf(items), next);
  }

  static <T> Page<T> list(
      RowTable<T> table, Query<T> query, int pageSize, String token, String failurePrefix) {
    String current = token;
    while (true) {
      Page<T> page = once(table, query, pageSize, current, failurePrefix);
      if (page.items().isEmpty()) {
        return page;
      }
      List<T> kept = page.items().stream().filter(query.postFilter()).toList();
      if (!kept.isEmpty() || page.nextToken().isEmpty()) {
        return new Page<>(kept, page.nextToken());
      }
      current = page.nextToken();
    }
  }

  /** Counting as the datastore counts: pages of 1000 until one comes back empty. */
  static <T> int count(RowTable<T> table, Query<T> query) {
    int count = 0;
    String token = "";
    while (true) {
      Page<T> page = once(table, query, 1000, token, "failed to count");
      if (page.items().isEmpty()) {
        return count;
      }
      count += (int) page.items().stream().filter(query.postFilter()).count();
      token = page.nextToken();
    }
  }

  private static long parseToken(String token, String failurePrefix) {
    if (token.isEmpty()) {
      return 0;
    }
    // strconv.ParseUint(token, 10, 32): digits only, at most 2^32-1
    if (token.matches("[0-9]{1,10}") && Long.parseLong(token) <= 0xFFFF_FFFFL) {
      return Long.parseLong(token);
    }
    throw new ItemFailure(
        Status.Code.INTERNAL,
        failurePrefix
            + ": datastore-sql: rpc error: code = InvalidArgument desc = could not parse token '"
            + token
            + "'");
  }
}
