package org.spireoperator.e2e.support;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * spire-controller-manager's cluster-scoped objects (ClusterSPIFFEID, ClusterStaticEntry,
 * ClusterFederatedTrustDomain) written with the admin client as {@code kubectl apply --server-side}
 * would: YAML applied as it is, nothing typed in between. Remembers what it applied, so {@link
 * #deleteAll()} removes exactly that.
 */
public final class ScmObjects {

  public static final String CLUSTER_SPIFFE_ID = "ClusterSPIFFEID";
  public static final String CLUSTER_STATIC_ENTRY = "ClusterStaticEntry";
  public static final String CLUSTER_FEDERATED_TRUST_DOMAIN = "ClusterFederatedTrustDomain";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final KubernetesClient client;
  private final Set<Ref> applied = new LinkedHashSet<>();

  /** An object by kind and name (all three kinds are cluster-scoped). */
  public record Ref(String kind, String name) {}

  public ScmObjects(KubernetesClient client) {
    this.client = client;
  }

  /**
   * spire-controller-manager's own example YAML, as copied unchanged into the operator's test
   * resources ({@code operator/src/test/resources/scm/samples/<file>}).
   */
  public static Path sample(String file) {
    return E2eSettings.repoRoot().resolve("operator/src/test/resources/scm/samples").resolve(file);
  }

  /** Applies every object of a YAML file; returns them as the API server stored them. */
  public List<GenericKubernetesResource> apply(Path yamlFile) {
    try {
      return applyYaml(Files.readString(yamlFile));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + yamlFile, e);
    }
  }

  /**
   * Applies every object of a YAML text (documents separated by {@code ---}), read as generic
   * objects: no typed class adds or drops a field on the way.
   */
  public List<GenericKubernetesResource> applyYaml(String yaml) {
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      GenericKubernetesResource object =
          SERIALIZATION.unmarshal(document, GenericKubernetesResource.class);
      applied.add(new Ref(object.getKind(), object.getMetadata().getName()));
      out.add(
          client
              .genericKubernetesResources(context(object.getKind()))
              .resource(object)
              .fieldManager("e2e")
              .forceConflicts()
              .serverSideApply());
    }
    return out;
  }

  /** The object as stored now, or null. */
  public GenericKubernetesResource get(String kind, String name) {
    return resource(kind, name).get();
  }

  /** Changes an object (read, {@code change}, update; retried on conflicts by the client). */
  public GenericKubernetesResource edit(
      String kind, String name, UnaryOperator<GenericKubernetesResource> change) {
    return resource(kind, name).edit(change);
  }

  /** Deletes an object and waits until the API server no longer has it. */
  public void delete(String kind, String name) {
    resource(kind, name).delete();
    resource(kind, name).waitUntilCondition(r -> r == null, 60, TimeUnit.SECONDS);
    applied.remove(new Ref(kind, name));
  }

  /**
   * Deletes everything applied through this instance (finalizers are left to their controllers, so
   * call it while they run), waits until it is gone.
   */
  public void deleteAll() {
    for (Ref ref : List.copyOf(applied)) {
      delete(ref.kind(), ref.name());
    }
  }

  private Resource<GenericKubernetesResource> resource(String kind, String name) {
    return client.genericKubernetesResources(context(kind)).withName(name);
  }

  /** The API of one of the three kinds. */
  public static ResourceDefinitionContext context(String kind) {
    String plural =
        switch (kind) {
          case CLUSTER_SPIFFE_ID -> "clusterspiffeids";
          case CLUSTER_STATIC_ENTRY -> "clusterstaticentries";
          case CLUSTER_FEDERATED_TRUST_DOMAIN -> "clusterfederatedtrustdomains";
          default -> throw new IllegalArgumentException("not a spire.spiffe.io kind: " + kind);
        };
    return new ResourceDefinitionContext.Builder()
        .withGroup("spire.spiffe.io")
        .withVersion("v1alpha1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(false)
        .build();
  }
}
