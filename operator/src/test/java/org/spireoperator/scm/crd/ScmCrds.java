package org.spireoperator.scm.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Test fixtures: our generated CRDs, spire-controller-manager's CRDs and example manifests (copied
 * unchanged into {@code src/test/resources/scm/}).
 */
final class ScmCrds {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ScmCrds() {}

  /**
   * The CRD crd-generator wrote for {@code crdName} (e.g. {@code
   * clusterspiffeids.spire.spiffe.io}).
   */
  static CustomResourceDefinition generated(String crdName) {
    return crd("META-INF/fabric8/" + crdName + "-v1.yml");
  }

  /** spire-controller-manager v0.6.4's CRD of that plural (e.g. {@code clusterspiffeids}). */
  static CustomResourceDefinition upstream(String plural) {
    return crd("scm/upstream-crds/" + plural + ".yaml");
  }

  static JSONSchemaProps schema(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  /** An example manifest from {@code src/test/resources/scm/samples/}, as a JSON tree. */
  static JsonNode sampleTree(String name) {
    try (InputStream in = resource("scm/samples/" + name)) {
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An example manifest read into our classes. */
  static <T> T sample(String name, Class<T> type) {
    try (InputStream in = resource("scm/samples/" + name)) {
      return Serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CustomResourceDefinition crd(String path) {
    try (InputStream in = resource(path)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = ScmCrds.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(
          path + " is not on the test classpath (generated CRDs need process-classes)");
    }
    return in;
  }
}
