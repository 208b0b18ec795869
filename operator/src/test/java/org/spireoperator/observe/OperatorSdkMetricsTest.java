package org.spireoperator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.spireoperator.scm.crd.ClusterSPIFFEID;

/**
 * JOSDK's own metrics ({@code operator_sdk_*}) as the operator exports them: JOSDK tags a meter
 * with the resource's API group only when it has one, and Prometheus takes one set of tag keys per
 * meter name, so without care the kinds seen second (the custom resources, after Pods) are dropped
 * from the scrape.
 */
class OperatorSdkMetricsTest {

  @Test
  @DisplayName(
      "a custom resource's events are scraped next to a Pod's (core group, no group tag of JOSDK's)")
  void customResourcesAreScrapedNextToCoreResources() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics sdk =
        MicrometerMetrics.withoutPerResourceMetrics(new RegistrarMetrics(prometheus).registry());

    received(sdk, new PodBuilder().withMetadata(meta("web-0", "shop")).build(), Pod.class);
    ClusterSPIFFEID csid = new ClusterSPIFFEID();
    csid.setMetadata(meta("default", null));
    received(sdk, csid, ClusterSPIFFEID.class);

    assertThat(prometheus.scrape())
        .containsPattern("operator_sdk_events_received_total\\{[^}]*kind=\"ClusterSPIFFEID\"");
  }

  private static void received(
      Metrics sdk, HasMetadata resource, Class<? extends HasMetadata> type) {
    sdk.receivedEvent(
        new ResourceEvent(ResourceAction.ADDED, ResourceID.fromResource(resource), resource),
        Map.of(Constants.RESOURCE_GVK_KEY, GroupVersionKind.gvkFor(type)));
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name, String namespace) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
  }
}
