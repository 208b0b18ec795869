package org.spireoperator.spire.testserver;

import com.google.protobuf.Message;
import java.time.Instant;

/**
 * One RPC the test server received: bare method name (e.g. {@code ListEntries}), the request
 * message, and when it arrived. Failed and injected-failure calls are recorded too.
 */
public record RecordedCall(String method, Message request, Instant at) {

  /**
   * The request as its concrete message type, e.g. {@code
   * call.request(BatchUpdateEntryRequest.class)}.
   */
  public <T extends Message> T request(Class<T> type) {
    return type.cast(request);
  }
}
