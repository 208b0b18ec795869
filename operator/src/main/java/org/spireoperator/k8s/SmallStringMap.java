package org.spireoperator.k8s;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An unmodifiable map of strings in one array, in the order it was built: what a cached object's
 * labels and annotations cost, about 50 bytes for one label where an unmodifiable {@code
 * LinkedHashMap} costs nearly 200. Lookups scan the array: an object's labels are a handful.
 */
final class SmallStringMap extends AbstractMap<String, String> {

  private final String[] keysAndValues;

  private SmallStringMap(String[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  /** Keys and values taken in pairs, in order; an empty map for none. */
  static Map<String, String> of(String[] keysAndValues, int length) {
    if (length == 0) {
      return Map.of();
    }
    String[] copy = new String[length];
    System.arraycopy(keysAndValues, 0, copy, 0, length);
    return new SmallStringMap(copy);
  }

  @Override
  public int size() {
    return keysAndValues.length / 2;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public String get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : keysAndValues[i + 1];
  }

  private int indexOf(Object key) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return SmallStringMap.this.size();
      }

      @Override
      public Iterator<Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keysAndValues.length;
          }

          @Override
          public Entry<String, String> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Entry<String, String> e =
                new SimpleImmutableEntry<>(keysAndValues[next], keysAndValues[next + 1]);
            next += 2;
            return e;
          }
        };
      }
    };
  }
}
