package org.spireoperator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of OpenAPI v3 validation this project's CRDs use (types, properties and unknown fields
 * as kubectl's strict field validation reports them, required, enum, pattern, maxLength, minimum,
 * items, additionalProperties), standing in for the API server in unit tests.
 */
public final class StructuralSchema {

  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private StructuralSchema() {}

  /** Every way {@code document} breaks {@code root}; empty when it conforms. */
  public static List<String> violations(JsonNode document, JSONSchemaProps root) {
    List<String> out = new ArrayList<>();
    check("", document, root, true, out);
    return out;
  }

  private static void check(
      String path, JsonNode node, JSONSchemaProps schema, boolean root, List<String> out) {
    if (schema.getType() == null) {
      return;
    }
    switch (schema.getType()) {
      case "object" -> object(path, node, schema, root, out);
      case "array" -> {
        if (!node.isArray()) {
          out.add(path + ": expected an array");
          return;
        }
        for (int i = 0; i < node.size(); i++) {
          check(path + "[" + i + "]", node.get(i), schema.getItems().getSchema(), false, out);
        }
      }
      case "string" -> string(path, node, schema, out);
      case "integer" -> {
        if (!node.isIntegralNumber()) {
          out.add(path + ": expected an integer");
          return;
        }
        if (schema.getMinimum() != null && node.asDouble() < schema.getMinimum()) {
          out.add(path + ": less than " + schema.getMinimum());
        }
      }
      case "boolean" -> {
        if (!node.isBoolean()) {
          out.add(path + ": expected a boolean");
        }
      }
      default -> out.add(path + ": schema type " + schema.getType() + " not handled");
    }
  }

  private static void string(String path, JsonNode node, JSONSchemaProps schema, List<String> out) {
    if (!node.isTextual()) {
      out.add(path + ": expected a string");
      return;
    }
    String text = node.asText();
    if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
      out.add(path + ": " + text + " does not match " + schema.getPattern());
    }
    if (schema.getMaxLength() != null
        && text.codePointCount(0, text.length()) > schema.getMaxLength()) {
      out.add(path + ": longer than " + schema.getMaxLength());
    }
    if (schema.getEnum() != null
        && !schema.getEnum().isEmpty()
        && schema.getEnum().stream().noneMatch(e -> e.asText().equals(text))) {
      out.add(path + ": " + text + " is not one of " + schema.getEnum());
    }
  }

  private static void object(
      String path, JsonNode node, JSONSchemaProps schema, boolean root, List<String> out) {
    if (!node.isObject()) {
      out.add(path + ": expected an object");
      return;
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    boolean free =
        (properties == null || properties.isEmpty()) && schema.getAdditionalProperties() == null;
    if (free || Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
      return;
    }
    for (String required :
        schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
      if (!node.has(required)) {
        out.add(path + "." + required + ": required");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JSONSchemaProps fieldSchema = properties == null ? null : properties.get(field.getKey());
      if (fieldSchema == null && schema.getAdditionalProperties() != null) {
        fieldSchema = schema.getAdditionalProperties().getSchema();
      }
      if (fieldSchema == null) {
        if (!(root && ROOT_FIELDS.contains(field.getKey()))) {
          out.add(fieldPath + ": unknown field");
        }
        continue;
      }
      check(fieldPath, field.getValue(), fieldSchema, false, out);
    }
  }
}
