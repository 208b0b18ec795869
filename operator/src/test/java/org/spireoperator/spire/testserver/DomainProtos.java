package org.spireoperator.spire.testserver;

import org.spireoperator.spire.Agent;
import org.spireoperator.spire.Entry;
import org.spireoperator.spire.ProtoMapping;

/**
 * The two messages only a server writes, on top of the client's {@link ProtoMapping}: an entry as
 * stored (with its revision and creation time) and an agent (with its certificate serial).
 */
final class DomainProtos {

  private DomainProtos() {}

  /** The entry as the server stores and returns it, server-set fields included. */
  static spire.api.types.Entry stored(Entry e) {
    return ProtoMapping.toProto(e).toBuilder()
        .setRevisionNumber(e.revisionNumber())
        .setCreatedAt(e.createdAt())
        .build();
  }

  /** A banned agent has no serial number, as on the real server. */
  static spire.api.types.Agent toProto(Agent a, String serialNumber) {
    var b =
        spire.api.types.Agent.newBuilder()
            .setId(ProtoMapping.toProto(a.id()))
            .setAttestationType(a.attestationType())
            .setX509SvidExpiresAt(a.x509SvidExpiresAt())
            .setX509SvidSerialNumber(a.banned() ? "" : serialNumber)
            .setBanned(a.banned())
            .setCanReattest(a.canReattest());
    a.selectors().forEach(s -> b.addSelectors(ProtoMapping.toProto(s)));
    return b.build();
  }
}
