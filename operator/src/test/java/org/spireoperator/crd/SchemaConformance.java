package org.spireoperator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small structural-schema checker for tests: the parts of OpenAPI v3 validation the SpiffeID
 * schema uses (types, properties, unknown fields as kubectl's strict field validation reports them,
 * required, patterns, maxLength, minimum, items, additionalProperties). Stands in for the API
 * server, which the unit tests do not have.
 */
final class SchemaConformance {

  static final String CRD_RESOURCE = "META-INF/fabric8/spiffeids.spiffeid.spiffe.io-v1.yml";
  private static final Set<String> ROOT_FIELDS_ALWAYS_ALLOWED =
      Set.of("apiVersion", "kind", "metadata");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SchemaConformance() {}

  static CustomResourceDefinition generatedCrd() {
    try (InputStream in =
        SchemaConformance.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CRD_RESOURCE
                + " is not on the classpath: run the build through "
                + "process-classes so the crd-generator-maven-plugin writes it");
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JSONSchemaProps rootSchema(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yamlResource(String name) {
    try (InputStream in = SchemaConformance.class.getResourceAsStream("/crd/" + name)) {
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every way {@code document} (a whole SpiffeID) breaks {@code root}; empty when it conforms. */
  static List<String> violations(JsonNode document, JSONSchemaProps root) {
    List<String> out = new ArrayList<>();
    check("", document, root, true, out);
    return out;
  }

  private static void check(
      String path, JsonNode node, JSONSchemaProps schema, boolean root, List<String> out) {
    String type = schema.getType();
    if (type == null) {
      return;
    }
    switch (type) {
      case "object" -> checkObject(path, node, schema, root, out);
      case "array" -> {
        if (!node.isArray()) {
          out.add(path + ": expected an array");
          return;
        }
        for (int i = 0; i < node.size(); i++) {
          check(path + "[" + i + "]", node.get(i), schema.getItems().getSchema(), false, out);
        }
      }
      case "string" -> {
        if (!node.isTextual()) {
          out.add(path + ": expected a string");
          return;
        }
        String text = node.asText();
        if (schema.getPattern() != null
            && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
          out.add(path + ": " + text + " does not match " + schema.getPattern());
        }
        if (schema.getMaxLength() != null
            && text.codePointCount(0, text.length()) > schema.getMaxLength()) {
          out.add(path + ": longer than " + schema.getMaxLength());
        }
      }
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
      default -> out.add(path + ": schema type " + type + " not handled by this checker");
    }
  }

  private static void checkObject(
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
      if (root && ROOT_FIELDS_ALWAYS_ALLOWED.contains(field.getKey())) {
        continue;
      }
      JSONSchemaProps fieldSchema = properties == null ? null : properties.get(field.getKey());
      if (fieldSchema == null && schema.getAdditionalProperties() != null) {
        fieldSchema = schema.getAdditionalProperties().getSchema();
      }
      if (fieldSchema == null) {
        out.add(fieldPath + ": unknown field");
        continue;
      }
      check(fieldPath, field.getValue(), fieldSchema, false, out);
    }
  }
}
