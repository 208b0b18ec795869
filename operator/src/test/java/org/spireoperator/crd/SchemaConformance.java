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
import java.util.List;
import org.spireoperator.testing.StructuralSchema;

/** The SpiffeID CRD as generated, YAML documents to check against it, and the check itself. */
final class SchemaConformance {

  static final String CRD_RESOURCE = "META-INF/fabric8/spiffeids.spiffeid.spiffe.io-v1.yml";
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
    return StructuralSchema.violations(document, root);
  }
}
