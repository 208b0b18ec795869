package org.spireoperator.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A spire-server's federation relationships through its own command line ({@code spire-server
 * federation list|create -socketPath <admin socket>}), independent of the operator's SPIRE client.
 */
public record FederationCli(Path serverBinary, Path socket) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One relationship as {@code federation list -output json} shows it.
   *
   * @param profile {@code https_web} or {@code https_spiffe}
   * @param endpointSpiffeId with {@code https_spiffe}, the endpoint's SPIFFE ID; else ""
   * @param hasBundle whether the server holds a bundle of that trust domain
   */
  public record Relationship(
      String trustDomain,
      String bundleEndpointUrl,
      String profile,
      String endpointSpiffeId,
      boolean hasBundle) {}

  public static FederationCli of(RealSpire spire) {
    return new FederationCli(
        Path.of(spire.serverExports().get("SPIRE_SERVER_BIN")), spire.socket());
  }

  /** Every relationship, sorted by trust domain. */
  public List<Relationship> list() {
    JsonNode root;
    try {
      root = JSON.readTree(run("federation", "list", "-output", "json"));
    } catch (IOException e) {
      throw new IllegalStateException("spire-server federation list printed no JSON", e);
    }
    List<Relationship> out = new ArrayList<>();
    for (JsonNode r : root.path("federation_relationships")) {
      boolean spiffe = r.has("https_spiffe");
      out.add(
          new Relationship(
              r.path("trust_domain").asText(),
              r.path("bundle_endpoint_url").asText(),
              spiffe ? "https_spiffe" : r.has("https_web") ? "https_web" : "",
              spiffe ? r.path("https_spiffe").path("endpoint_spiffe_id").asText() : "",
              r.hasNonNull("trust_domain_bundle")));
    }
    out.sort(Comparator.comparing(Relationship::trustDomain));
    return List.copyOf(out);
  }

  /** The relationships with these trust domains. */
  public List<Relationship> with(List<String> trustDomains) {
    return list().stream().filter(r -> trustDomains.contains(r.trustDomain())).toList();
  }

  /** {@code federation create} of an {@code https_web} relationship. */
  public void createHttpsWeb(String trustDomain, String bundleEndpointUrl) {
    run(
        "federation",
        "create",
        "-trustDomain",
        trustDomain,
        "-bundleEndpointURL",
        bundleEndpointUrl,
        "-bundleEndpointProfile",
        "https_web");
  }

  private String run(String... args) {
    List<String> words = new ArrayList<>();
    words.add(serverBinary.toString());
    words.addAll(List.of(args));
    words.add("-socketPath");
    words.add(socket.toString());
    Command command = new Command(words);
    Command.Result result = command.run();
    if (!result.succeeded()) {
      throw new IllegalStateException(
          command + " failed (exit code " + result.exitCode() + "): " + result.output());
    }
    return result.output();
  }
}
