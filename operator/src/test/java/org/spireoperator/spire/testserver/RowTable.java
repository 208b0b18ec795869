package org.spireoperator.spire.testserver;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A table with auto-increment row IDs, like a SQL table: rows keep their ID when replaced, IDs are
 * never reused. Not thread-safe; its owner locks.
 */
final class RowTable<T> {

  private final NavigableMap<Long, Row<T>> rows = new TreeMap<>();
  private long lastId;

  Row<T> insert(T value) {
    Row<T> row = new Row<>(++lastId, value);
    rows.put(row.id(), row);
    return row;
  }

  Row<T> replace(long id, T value) {
    Row<T> row = new Row<>(id, value);
    rows.put(id, row);
    return row;
  }

  T get(long id) {
    Row<T> row = rows.get(id);
    return row == null ? null : row.value();
  }

  void remove(long id) {
    rows.remove(id);
  }

  void clear() {
    rows.clear();
  }

  int size() {
    return rows.size();
  }

  /**
   * Rows with an ID above {@code id}, in ID order (a live view: do not modify the table while
   * iterating).
   */
  Iterable<Row<T>> after(long id) {
    return rows.tailMap(id, false).values();
  }

  List<T> values() {
    return rows.values().stream().map(Row::value).toList();
  }
}
