package org.spireoperator.spire.testserver;

import spire.api.types.Agent;
import spire.api.types.AgentMask;
import spire.api.types.Bundle;
import spire.api.types.BundleMask;
import spire.api.types.Entry;
import spire.api.types.EntryMask;

/**
 * The server's output masks: without a mask every field; with one only the masked fields (and
 * always the ID).
 */
final class OutputMasks {

  private OutputMasks() {}

  /**
   * @param mask null when the request has none
   */
  static Entry apply(Entry e, EntryMask mask) {
    if (mask == null) {
      return e;
    }
    var b = e.toBuilder();
    if (!mask.getSpiffeId()) {
      b.clearSpiffeId();
    }
    if (!mask.getParentId()) {
      b.clearParentId();
    }
    if (!mask.getSelectors()) {
      b.clearSelectors();
    }
    if (!mask.getFederatesWith()) {
      b.clearFederatesWith();
    }
    if (!mask.getAdmin()) {
      b.clearAdmin();
    }
    if (!mask.getDownstream()) {
      b.clearDownstream();
    }
    if (!mask.getExpiresAt()) {
      b.clearExpiresAt();
    }
    if (!mask.getDnsNames()) {
      b.clearDnsNames();
    }
    if (!mask.getRevisionNumber()) {
      b.clearRevisionNumber();
    }
    if (!mask.getStoreSvid()) {
      b.clearStoreSvid();
    }
    if (!mask.getX509SvidTtl()) {
      b.clearX509SvidTtl();
    }
    if (!mask.getJwtSvidTtl()) {
      b.clearJwtSvidTtl();
    }
    if (!mask.getHint()) {
      b.clearHint();
    }
    if (!mask.getCreatedAt()) {
      b.clearCreatedAt();
    }
    if (!mask.getAdditionalAttributes()) {
      b.clearAdditionalAttributes();
    }
    return b.build();
  }

  static Agent apply(Agent a, AgentMask mask) {
    if (mask == null) {
      return a;
    }
    var b = a.toBuilder();
    if (!mask.getAttestationType()) {
      b.clearAttestationType();
    }
    if (!mask.getX509SvidSerialNumber()) {
      b.clearX509SvidSerialNumber();
    }
    if (!mask.getX509SvidExpiresAt()) {
      b.clearX509SvidExpiresAt();
    }
    if (!mask.getSelectors()) {
      b.clearSelectors();
    }
    if (!mask.getBanned()) {
      b.clearBanned();
    }
    if (!mask.getCanReattest()) {
      b.clearCanReattest();
    }
    if (!mask.getAgentVersion()) {
      b.clearAgentVersion();
    }
    return b.build();
  }

  static Bundle apply(Bundle bundle, BundleMask mask) {
    if (mask == null) {
      return bundle;
    }
    var b = bundle.toBuilder();
    if (!mask.getRefreshHint()) {
      b.clearRefreshHint();
    }
    if (!mask.getSequenceNumber()) {
      b.clearSequenceNumber();
    }
    if (!mask.getX509Authorities()) {
      b.clearX509Authorities();
    }
    if (!mask.getJwtAuthorities()) {
      b.clearJwtAuthorities();
    }
    if (!mask.getWitAuthorities()) {
      b.clearWitAuthorities();
    }
    return b.build();
  }
}
