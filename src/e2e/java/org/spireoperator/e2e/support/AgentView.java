package org.spireoperator.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.spiffe.bundle.x509bundle.X509Bundle;
import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.exception.X509SvidException;
import io.spiffe.provider.SpiffeKeyManager;
import io.spiffe.provider.SpiffeTrustManager;
import io.spiffe.spiffeid.TrustDomain;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.X509Source;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.spireoperator.spire.SpiffeId;
import spire.api.server.entry.v1.EntryGrpc;
import spire.api.server.entry.v1.GetAuthorizedEntriesRequest;

/**
 * What the server hands one agent: the Entry API's {@code GetAuthorizedEntries}, called over the
 * server's TCP API with the agent's own X509-SVID and key (read from its data dir: {@code
 * agent-data.json} and the disk key manager's {@code keys/keys.json}), exactly as the agent itself
 * authenticates. The server answers from its entry cache (rebuilt every 5 s by default), so read
 * with {@link Eventually}.
 *
 * <p>The credentials are a snapshot: read them again after the agent restarts, and keep an old
 * snapshot to ask what a replaced agent would still receive.
 */
public final class AgentView {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SpiffeId agentId;
  private final X509Svid svid;
  private final X509Bundle bundle;

  private AgentView(SpiffeId agentId, X509Svid svid, X509Bundle bundle) {
    this.agentId = agentId;
    this.svid = svid;
    this.bundle = bundle;
  }

  /** One entry as the agent receives it. */
  public record AuthorizedEntry(
      String id, String spiffeId, String parentId, List<String> selectors) {
    public AuthorizedEntry {
      selectors = List.copyOf(selectors);
    }

    @Override
    public String toString() {
      return spiffeId + " <- " + parentId + " " + selectors + " (" + id + ")";
    }
  }

  /** The current credentials of the agent whose data dir is {@code dataDir}. */
  public static AgentView of(Path dataDir) {
    try {
      JsonNode data = JSON.readTree(Files.readAllBytes(dataDir.resolve("agent-data.json")));
      List<X509Certificate> chain = certificates(data.path("svid"));
      List<X509Certificate> roots = certificates(data.path("bundle"));
      if (chain.isEmpty() || roots.isEmpty()) {
        throw new IllegalStateException(dataDir + "/agent-data.json holds no SVID or no bundle");
      }
      X509Svid svid = withMatchingKey(chain, dataDir.resolve("keys/keys.json"));
      TrustDomain td = svid.getSpiffeId().getTrustDomain();
      return new AgentView(
          SpiffeId.parse(svid.getSpiffeId().toString()),
          svid,
          new X509Bundle(td, new HashSet<>(roots)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent's data in " + dataDir, e);
    }
  }

  /** The SPIFFE ID in the agent's X509-SVID. */
  public SpiffeId agentId() {
    return agentId;
  }

  /**
   * {@code GetAuthorizedEntries} as this agent, against the server's TCP API at {@code hostPort};
   * sorted by SPIFFE ID, then parent ID.
   */
  public List<AuthorizedEntry> authorizedEntries(String hostPort) {
    ManagedChannel channel = channel(hostPort);
    try {
      return EntryGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .getAuthorizedEntries(GetAuthorizedEntriesRequest.getDefaultInstance())
          .getEntriesList()
          .stream()
          .map(
              e ->
                  new AuthorizedEntry(
                      e.getId(),
                      "spiffe://" + e.getSpiffeId().getTrustDomain() + e.getSpiffeId().getPath(),
                      "spiffe://" + e.getParentId().getTrustDomain() + e.getParentId().getPath(),
                      e.getSelectorsList().stream()
                          .map(s -> s.getType() + ":" + s.getValue())
                          .sorted()
                          .toList()))
          .sorted(
              Comparator.comparing(AuthorizedEntry::spiffeId)
                  .thenComparing(AuthorizedEntry::parentId))
          .toList();
    } finally {
      channel.shutdownNow();
    }
  }

  private ManagedChannel channel(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    io.spiffe.spiffeid.SpiffeId serverId =
        io.spiffe.spiffeid.SpiffeId.parse(
            "spiffe://" + bundle.getTrustDomain().getName() + "/spire/server");
    X509Source source = new Snapshot(svid, bundle);
    try {
      return NettyChannelBuilder.forAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))
          .sslContext(
              GrpcSslContexts.forClient()
                  .keyManager(new SpiffeKeyManager(source))
                  .trustManager(new SpiffeTrustManager(source, () -> Set.of(serverId)))
                  .build())
          .overrideAuthority("spire-server")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Certificates from a JSON array of base64 strings, each one PEM text (Go's []byte). */
  private static List<X509Certificate> certificates(JsonNode array) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (JsonNode pem : array) {
        byte[] text = Base64.getDecoder().decode(pem.asText());
        for (var c : factory.generateCertificates(new ByteArrayInputStream(text))) {
          out.add((X509Certificate) c);
        }
      }
    } catch (CertificateException e) {
      throw new IllegalStateException("unreadable certificate in the agent's data: " + e, e);
    }
    return out;
  }

  /** The SVID with whichever key of the disk key manager belongs to its leaf certificate. */
  private static X509Svid withMatchingKey(List<X509Certificate> chain, Path keysFile)
      throws IOException {
    ByteArrayOutputStream der = new ByteArrayOutputStream();
    try {
      for (X509Certificate c : chain) {
        der.write(c.getEncoded());
      }
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    JsonNode keys = JSON.readTree(Files.readAllBytes(keysFile)).path("keys");
    List<String> tried = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> key = it.next();
      try {
        return X509Svid.parseRaw(
            der.toByteArray(), Base64.getDecoder().decode(key.getValue().asText()));
      } catch (X509SvidException e) {
        tried.add(key.getKey() + ": " + e.getMessage());
      }
    }
    throw new IllegalStateException(
        "no key in "
            + keysFile
            + " belongs to the agent's SVID "
            + chain.get(0).getSubjectX500Principal()
            + ": "
            + tried);
  }

  /** Fixed credentials as an {@link X509Source}. */
  private record Snapshot(X509Svid svid, X509Bundle bundle) implements X509Source {
    @Override
    public X509Svid getX509Svid() {
      return svid;
    }

    @Override
    public X509Bundle getBundleForTrustDomain(TrustDomain trustDomain)
        throws BundleNotFoundException {
      if (!trustDomain.equals(bundle.getTrustDomain())) {
        throw new BundleNotFoundException("no bundle for " + trustDomain);
      }
      return bundle;
    }

    @Override
    public void close() {}
  }
}
