package org.spireoperator.crd;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Test fixtures: SpiffeID specs, selectors and resources. */
final class Specs {

  static final String TD = "example.org";
  static final String WORKLOAD_ID = "spiffe://example.org/ns/shop/sa/web";
  static final String NODE_ID = "spiffe://example.org/k8s-workload-registrar/demo/node/worker-1";

  private Specs() {}

  static SpiffeIDSelector selector(Consumer<SpiffeIDSelector> settings) {
    SpiffeIDSelector selector = new SpiffeIDSelector();
    settings.accept(selector);
    return selector;
  }

  /** A valid spec: WORKLOAD_ID under NODE_ID, selecting service account "web". */
  static SpiffeIDSpec spec() {
    return spec(s -> {});
  }

  /** A valid spec (see {@link #spec()}) changed by {@code changes}. */
  static SpiffeIDSpec spec(Consumer<SpiffeIDSpec> changes) {
    SpiffeIDSpec spec = new SpiffeIDSpec();
    spec.setSpiffeId(WORKLOAD_ID);
    spec.setParentId(NODE_ID);
    spec.setSelector(selector(s -> s.setServiceAccount("web")));
    changes.accept(spec);
    return spec;
  }

  /** A spec whose only selector is {@code selector}. */
  static SpiffeIDSpec withSelector(Consumer<SpiffeIDSelector> settings) {
    return spec(s -> s.setSelector(selector(settings)));
  }

  static SpiffeID resource(String namespace, SpiffeIDSpec spec) {
    SpiffeID resource = new SpiffeID();
    resource.setMetadata(new ObjectMetaBuilder().withName("sid").withNamespace(namespace).build());
    resource.setSpec(spec);
    return resource;
  }

  static SpiffeID load(String resourceName) {
    try (InputStream in = Specs.class.getResourceAsStream("/crd/" + resourceName)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /crd/" + resourceName);
      }
      return Serialization.unmarshal(in, SpiffeID.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
