package org.spireoperator.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.spireoperator.k8s.PodDecoding;

/**
 * The HTTP clients the Kubernetes client talks to the API server with, offering ChaCha20-Poly1305
 * first in TLS. The operator runs on the JVM's first compiler tier only ({@code
 * -XX:TieredStopAtLevel=1}: half the CPU in bursts and ~100 MiB less RSS), where AES-GCM has no
 * intrinsics and decrypts at about 15 MB/s on the benchmark's machine, ChaCha20-Poly1305 at about
 * 57 MB/s: half of a 10,000-pod informer sync was AES-GCM decryption. Every cipher suite the JVM
 * enables stays offered, in its own order after the ChaCha20 ones, so the server still chooses and
 * one without ChaCha20 is reached as before; the TLS versions are the client configuration's.
 */
final class ApiServerHttpClients extends JdkHttpClientFactory {

  private final String[] protocols;

  private ApiServerHttpClients(TlsVersion[] versions) {
    this.protocols =
        versions == null || versions.length == 0
            ? null
            : Arrays.stream(versions).map(TlsVersion::javaName).toArray(String[]::new);
  }

  /**
   * A Kubernetes client configured as usual (kubeconfig, in-cluster), with these HTTP clients, that
   * asks for gzipped list and get answers ({@link GzipResponses}) and decodes Pods as the pod cache
   * keeps them ({@link PodDecoding}): the operator reads Pods and never writes one.
   */
  static KubernetesClient client() {
    return client(Config.autoConfigure(null));
  }

  /** {@link #client()} for the given configuration. */
  static KubernetesClient client(Config config) {
    return GzipResponses.installOn(
            new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new ApiServerHttpClients(config.getTlsVersions())))
        .withKubernetesSerialization(PodDecoding.serialization())
        .build();
  }

  @Override
  protected void additionalConfig(HttpClient.Builder builder) {
    try {
      String[] suites = SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites();
      builder.sslParameters(
          new SSLParameters(chaCha20First(List.of(suites)).toArray(String[]::new), protocols));
    } catch (NoSuchAlgorithmException e) {
      // no default TLS context: leave the client as the Kubernetes client built it
    }
  }

  /** {@code suites} with the ChaCha20-Poly1305 ones first; the rest in their order. */
  static List<String> chaCha20First(List<String> suites) {
    List<String> out = new ArrayList<>(suites.size());
    suites.stream().filter(ApiServerHttpClients::isChaCha20).forEach(out::add);
    suites.stream().filter(s -> !isChaCha20(s)).forEach(out::add);
    return List.copyOf(out);
  }

  private static boolean isChaCha20(String suite) {
    return suite.contains("CHACHA20_POLY1305");
  }
}
