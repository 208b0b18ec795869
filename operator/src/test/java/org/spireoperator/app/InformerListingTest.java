package org.spireoperator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spireoperator.testing.OperatorFixture;

/**
 * The Pod and Node informers list the cluster a page at a time, so that a start or relist never
 * holds every object of a large cluster at once, as the API server sends it, before pruning.
 */
class InformerListingTest {

  private final OperatorFixture f = new OperatorFixture();

  @AfterEach
  void tearDown() {
    f.close();
  }

  private List<String> requestPaths() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    RecordedRequest r;
    while ((r = f.cluster().server().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      paths.add(r.getPath());
    }
    return paths;
  }

  private List<String> listsOf(String collection) throws InterruptedException {
    await().atMost(Duration.ofSeconds(20)).until(f::loaded);
    return requestPaths().stream()
        .filter(p -> p.startsWith(collection + "?") && !p.contains("watch=true"))
        .toList();
  }

  @Test
  void podsAreListedAPageAtATime() throws InterruptedException {
    f.start(OperatorFixture.defaults());

    assertThat(listsOf("/api/v1/pods"))
        .isNotEmpty()
        .allMatch(p -> p.contains("limit=" + RegistrarOperator.INFORMER_LIST_PAGE));
  }

  @Test
  void nodesAreListedAPageAtATime() throws InterruptedException {
    f.start(OperatorFixture.defaults());

    assertThat(listsOf("/api/v1/nodes"))
        .isNotEmpty()
        .allMatch(p -> p.contains("limit=" + RegistrarOperator.INFORMER_LIST_PAGE));
  }
}
