package org.spireoperator.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives JOSDK's meters ({@code operator.sdk.*}) one set of tag keys whatever the resource: JOSDK
 * leaves out the API group tag ({@code group}, {@code resource.group}) for the core group (Pods,
 * Nodes, Namespaces), and Prometheus drops every meter whose tag keys differ from those of the
 * first one of its name. The core group is tagged with the empty string, its name in the Kubernetes
 * API.
 */
final class OperatorSdkTagKeys implements MeterFilter {

  private static final String PREFIX = "operator.sdk.";

  @Override
  public Meter.Id map(Meter.Id id) {
    if (!id.getName().startsWith(PREFIX)) {
      return id;
    }
    return withCoreGroup(withCoreGroup(id, "kind", "group"), "resource.kind", "resource.group");
  }

  private static Meter.Id withCoreGroup(Meter.Id id, String kindKey, String groupKey) {
    if (id.getTag(kindKey) == null || id.getTag(groupKey) != null) {
      return id;
    }
    return id.withTag(Tag.of(groupKey, ""));
  }
}
