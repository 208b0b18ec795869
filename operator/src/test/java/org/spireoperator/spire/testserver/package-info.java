/**
 * An in-process SPIRE server API for tests and benchmarks: {@link
 * org.spireoperator.spire.testserver.SpireTestServer}.
 *
 * <p>It answers as a real spire-server (1.10 to 1.15, see {@link
 * org.spireoperator.spire.testserver.ServerSemantics}) with an SQL datastore would; the differences
 * that remain are deliberate and small: no key material in bundles, no agent attestation or SVID
 * signing, GetAuthorizedEntries always denied (as for an admin-socket caller), no gRPC message size
 * limit on the in-process transport, and for {@code xn--} DNS labels only an approximation of Go's
 * IDNA check. The request/answer pairs its tests pin down were compared with spire-server 1.10.4
 * over its admin socket.
 *
 * <p>Classes: {@code SpireTestServer} (facade, lifecycle, test API), {@code TestEntryService},
 * {@code TestAgentService}, {@code TestBundleService}, {@code TestTrustDomainService} (the gRPC
 * services), {@code EntryValidation}, {@code FederationValidation}, {@code SpiffeIdRules}, {@code
 * DnsNameRule} (the API's checks), {@code EntryStore}, {@code AgentStore}, {@code BundleStore},
 * {@code FederationStore}, {@code RowTable} (the datastore), {@code EntryQuery}, {@code
 * AgentQuery}, {@code SetMatch}, {@code PagedScan} (filters and paging), {@code OutputMasks},
 * {@code FaultInjector}, {@code CallLog}, {@code RecordingInterceptor}, {@code ServerTransports}
 * (in-process and unix socket).
 */
package org.spireoperator.spire.testserver;
