package org.spireoperator.deploy;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A set of Kubernetes objects as plain maps (the shape of their YAML), one per {@link ObjectKey}:
 * what a renderer (helm template, kubectl kustomize) prints or what an API server holds.
 */
public record ManifestSet(Map<ObjectKey, Map<String, Object>> objects) {

  private static final YAMLMapper YAML = new YAMLMapper();

  public ManifestSet {
    objects = Collections.unmodifiableMap(new TreeMap<>(objects));
  }

  /** The objects of a multi-document YAML stream; empty documents are skipped. */
  public static ManifestSet parse(String yaml) {
    Map<ObjectKey, Map<String, Object>> objects = new TreeMap<>();
    try (MappingIterator<Map<String, Object>> documents =
        YAML.readerForMapOf(Object.class).readValues(yaml)) {
      while (documents.hasNext()) {
        Map<String, Object> document = documents.next();
        if (document == null || document.isEmpty()) {
          continue;
        }
        add(objects, document);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not a YAML stream of Kubernetes objects", e);
    }
    return new ManifestSet(objects);
  }

  /** The given objects (maps of their YAML/JSON shape). */
  public static ManifestSet of(Collection<Map<String, Object>> list) {
    Map<ObjectKey, Map<String, Object>> objects = new TreeMap<>();
    list.forEach(object -> add(objects, object));
    return new ManifestSet(objects);
  }

  private static void add(Map<ObjectKey, Map<String, Object>> objects, Map<String, Object> object) {
    ObjectKey key = ObjectKey.of(object);
    if (objects.put(key, object) != null) {
      throw new IllegalArgumentException("two objects named " + key);
    }
  }

  /** Every object passed through {@code function}. */
  public ManifestSet map(UnaryOperator<Map<String, Object>> function) {
    Map<ObjectKey, Map<String, Object>> mapped = new TreeMap<>();
    objects.forEach((key, object) -> mapped.put(key, function.apply(object)));
    return new ManifestSet(mapped);
  }

  /** The objects whose key does not match {@code excluded}. */
  public ManifestSet without(Predicate<ObjectKey> excluded) {
    Map<ObjectKey, Map<String, Object>> kept = new TreeMap<>(objects);
    kept.keySet().removeIf(excluded);
    return new ManifestSet(kept);
  }

  public Map<String, Object> get(ObjectKey key) {
    return objects.get(key);
  }
}
