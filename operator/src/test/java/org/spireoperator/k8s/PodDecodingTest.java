package org.spireoperator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.spireoperator.registration.PodView;

/**
 * The Pod decoder yields exactly what pruning fabric8's full decode yields, for a pod on its own, a
 * list page and a watch event, whatever the order of the fields; an event of any other kind decodes
 * exactly as fabric8 decodes it. The fixture is a Deployment's pod as the API server returns it:
 * managed fields, kubectl's last-applied annotation, volumes, env, probes, conditions, container
 * statuses.
 */
class PodDecodingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization DEFAULT = new KubernetesSerialization();
  private static final KubernetesSerialization STREAMING = streaming();
  private static final ObjectNode FIXTURE = (ObjectNode) tree(load("/pods/deployment-pod.json"));
  private static final String MINIMAL = "{\"metadata\":{\"name\":\"bare\",\"namespace\":\"shop\"}}";

  private static KubernetesSerialization streaming() {
    return new KubernetesSerialization(
        new ObjectMapper().registerModule(PodDecoding.module()), true);
  }

  private static String load(String resource) {
    try (InputStream in = PodDecodingTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(Object value) {
    return Serialization.jsonMapper().valueToTree(value);
  }

  private static Pod prunedDefault(String pod) {
    return PodPruning.prune(DEFAULT.unmarshal(pod, Pod.class));
  }

  private static String event(String type, Object object) {
    return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
  }

  private static WatchEvent prunedDefaultEvent(String event) {
    WatchEvent full = DEFAULT.unmarshal(event, WatchEvent.class);
    return new WatchEvent(PodPruning.prune((Pod) full.getObject()), full.getType());
  }

  /** The fixture with what a deleting, dual-stack pod adds to it. */
  private static ObjectNode everyKeptField() {
    ObjectNode pod = FIXTURE.deepCopy();
    ObjectNode metadata = (ObjectNode) pod.get("metadata");
    metadata.put("deletionTimestamp", "2026-11-30T10:00:00Z");
    metadata.put("deletionGracePeriodSeconds", 30);
    metadata.put("generation", 2);
    metadata.putArray("finalizers").add("example.org/cleanup");
    ObjectNode spec = (ObjectNode) pod.get("spec");
    spec.put("automountServiceAccountToken", false);
    spec.put("setHostnameAsFQDN", true);
    spec.put("hostNetwork", true);
    spec.put("hostPID", false);
    spec.put("hostIPC", false);
    spec.put("priorityClassName", "high");
    spec.put("runtimeClassName", "gvisor");
    ObjectNode init = (ObjectNode) spec.get("initContainers").get(0);
    init.putArray("ports").addObject().put("name", "metrics").put("containerPort", 9090);
    ObjectNode status = (ObjectNode) pod.get("status");
    status.put("reason", "Terminating");
    ((ArrayNode) status.get("podIPs")).addObject().put("ip", "fd00:10:244:1::17");
    ((ArrayNode) status.get("hostIPs")).addObject().put("ip", "fd00:10::11");
    return pod;
  }

  /** The same JSON with every object's fields in reverse order. */
  private static JsonNode reversed(JsonNode node) {
    return reordered(node, Collections::reverse);
  }

  /** The same JSON with every object's fields shuffled, the same way every run. */
  private static JsonNode shuffled(JsonNode node) {
    Random random = new Random(7);
    return reordered(node, names -> Collections.shuffle(names, random));
  }

  private static JsonNode reordered(JsonNode node, Consumer<List<String>> reorder) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      reorder.accept(names);
      ObjectNode out = JSON.createObjectNode();
      names.forEach(name -> out.set(name, reordered(node.get(name), reorder)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(element -> out.add(reordered(element, reorder)));
      return out;
    }
    return node;
  }

  @Test
  void aPodDecodesAsThePrunedDefaultPod() {
    String pod = FIXTURE.toString();
    assertThat(STREAMING.unmarshal(pod, Pod.class)).isEqualTo(prunedDefault(pod));
  }

  @Test
  void aPodDecodesToTheSameJsonAsThePrunedDefaultPod() {
    String pod = FIXTURE.toString();
    assertThat(json(STREAMING.unmarshal(pod, Pod.class))).isEqualTo(json(prunedDefault(pod)));
  }

  @Test
  void aPodWithEveryKeptFieldDecodesAsThePrunedDefaultPod() {
    String pod = everyKeptField().toString();
    assertThat(json(STREAMING.unmarshal(pod, Pod.class))).isEqualTo(json(prunedDefault(pod)));
  }

  @Test
  void aPodWithNothingButItsNameDecodesAsThePrunedDefaultPod() {
    assertThat(STREAMING.unmarshal(MINIMAL, Pod.class)).isEqualTo(prunedDefault(MINIMAL));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/apiVersion",
        "/kind",
        "/metadata",
        "/metadata/name",
        "/metadata/generateName",
        "/metadata/labels",
        "/metadata/labels/app",
        "/metadata/annotations",
        "/metadata/deletionGracePeriodSeconds",
        "/metadata/finalizers",
        "/metadata/ownerReferences",
        "/metadata/ownerReferences/0/uid",
        "/metadata/ownerReferences/0/controller",
        "/metadata/managedFields",
        "/spec",
        "/spec/nodeName",
        "/spec/hostNetwork",
        "/spec/priority",
        "/spec/nodeSelector",
        "/spec/containers",
        "/spec/containers/0/image",
        "/spec/containers/0/ports",
        "/spec/containers/0/ports/0/containerPort",
        "/spec/containers/0/env",
        "/spec/initContainers",
        "/spec/volumes",
        "/status",
        "/status/podIP",
        "/status/podIPs",
        "/status/podIPs/0/ip",
        "/status/hostIPs",
        "/status/startTime",
        "/status/conditions"
      })
  void aNullFieldDecodesAsWithTheDefaultDecoder(String pointer) {
    ObjectNode pod = FIXTURE.deepCopy();
    JsonPointer field = JsonPointer.compile(pointer);
    ((ObjectNode) pod.at(field.head())).putNull(field.last().getMatchingProperty());
    String json = pod.toString();
    assertThat(json(STREAMING.unmarshal(json, Pod.class))).isEqualTo(json(prunedDefault(json)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/metadata/generation | 2.0",
        "/metadata/labels/tier | 7",
        "/metadata/ownerReferences/0/controller | \"true\"",
        "/spec/priority | \"5\"",
        "/spec/hostNetwork | 0",
        "/spec/nodeName | 12",
        "/spec/containers/0/ports/0/containerPort | \"8080\"",
        "/status/phase | true"
      })
  void aValueOfAnotherTypeDecodesAsWithTheDefaultDecoder(String pointer, String value) {
    ObjectNode pod = FIXTURE.deepCopy();
    JsonPointer field = JsonPointer.compile(pointer);
    ((ObjectNode) pod.at(field.head())).set(field.last().getMatchingProperty(), tree(value));
    String json = pod.toString();
    assertThat(json(STREAMING.unmarshal(json, Pod.class))).isEqualTo(json(prunedDefault(json)));
  }

  @Test
  void aPodListPageDecodesAsThePrunedDefaultList() {
    String page =
        "{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"184467\"},"
            + ("\"items\":[" + FIXTURE + "," + everyKeptField() + "," + MINIMAL + "]}");
    PodList expected = DEFAULT.unmarshal(page, PodList.class);
    expected.setItems(expected.getItems().stream().map(PodPruning::prune).toList());
    assertThat(STREAMING.unmarshal(page, PodList.class)).isEqualTo(expected);
  }

  static Stream<Arguments> podEvents() {
    ObjectNode rest = FIXTURE.deepCopy().without(List.of("kind", "apiVersion"));
    ObjectNode kindFirst = JSON.createObjectNode().put("kind", "Pod").put("apiVersion", "v1");
    kindFirst.setAll(rest);
    String bare = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"," + MINIMAL.substring(1);
    String bookmark =
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"184470\","
            + "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}";
    return Stream.of(
        Arguments.of(named("a modified pod", event("MODIFIED", FIXTURE))),
        Arguments.of(named("a pod with every kept field", event("ADDED", everyKeptField()))),
        Arguments.of(named("a pod with nothing but its name", event("ADDED", bare))),
        Arguments.of(named("kind before apiVersion", event("MODIFIED", kindFirst))),
        Arguments.of(named("fields reversed", event("MODIFIED", reversed(FIXTURE)))),
        Arguments.of(named("fields shuffled", event("DELETED", shuffled(FIXTURE)))),
        Arguments.of(
            named("object before type", "{\"object\":" + FIXTURE + ",\"type\":\"ADDED\"}")),
        Arguments.of(named("a bookmark", event("BOOKMARK", bookmark))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podEvents")
  void aPodEventDecodesAsThePrunedDefaultEvent(String event) {
    assertThat(STREAMING.unmarshal(event, WatchEvent.class)).isEqualTo(prunedDefaultEvent(event));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podEvents")
  void aPodEventDecodesToTheSameJsonAsThePrunedDefaultEvent(String event) {
    assertThat(json(STREAMING.unmarshal(event, WatchEvent.class)))
        .isEqualTo(json(prunedDefaultEvent(event)));
  }

  static Stream<Arguments> otherEvents() {
    return Stream.of(
        Arguments.of(
            named(
                "a node",
                """
                {"type":"MODIFIED","object":{"kind":"Node","apiVersion":"v1",
                 "metadata":{"name":"node-1","resourceVersion":"9","labels":{"kubernetes.io/os":"linux"}},
                 "spec":{"podCIDR":"10.244.1.0/24"},
                 "status":{"capacity":{"cpu":"4","memory":"16Gi"},
                  "addresses":[{"type":"InternalIP","address":"10.0.0.11"}],
                  "nodeInfo":{"kubeletVersion":"v1.31.0"}}}}
                """)),
        Arguments.of(
            named(
                "an error carrying a status",
                """
                {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},
                 "status":"Failure","message":"too old resource version: 1 (184467)",
                 "reason":"Expired","code":410}}
                """)),
        Arguments.of(
            named(
                "a namespace",
                """
                {"type":"DELETED","object":{"apiVersion":"v1","kind":"Namespace",
                 "metadata":{"name":"shop","resourceVersion":"12"},
                 "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Terminating"}}}
                """)),
        Arguments.of(
            named(
                "an endpoint slice",
                """
                {"type":"ADDED","object":{"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",
                 "metadata":{"name":"web-x7k2p","namespace":"shop",
                  "labels":{"kubernetes.io/service-name":"web"}},
                 "addressType":"IPv4",
                 "endpoints":[{"addresses":["10.244.1.17"],"conditions":{"ready":true},
                  "nodeName":"node-1","targetRef":{"kind":"Pod","namespace":"shop",
                  "name":"web-7d9c8f6b5d-x2k4q"}}],
                 "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}}
                """)),
        Arguments.of(
            named(
                "a node with its metadata first, object before type",
                """
                {"object":{"metadata":{"name":"node-2"},"kind":"Node","apiVersion":"v1"},
                 "type":"ADDED"}
                """)),
        Arguments.of(
            named(
                "a Pod of another group",
                """
                {"type":"ADDED","object":{"apiVersion":"example.org/v1","kind":"Pod",
                 "metadata":{"name":"p"}}}
                """)),
        Arguments.of(
            named(
                "a kind that is not a string",
                """
                {"type":"ADDED","object":{"apiVersion":"v1","kind":{"name":"Pod"},"x":1}}
                """)),
        Arguments.of(named("an empty object", "{\"type\":\"ADDED\",\"object\":{}}")),
        Arguments.of(named("a null object", "{\"type\":\"DELETED\",\"object\":null}")),
        Arguments.of(named("no object", "{\"type\":\"ADDED\",\"extra\":[1,{\"a\":2}]}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherEvents")
  void anEventOfAnotherKindDecodesAsWithTheDefaultDecoder(String event) {
    assertThat(STREAMING.unmarshal(event, WatchEvent.class))
        .isEqualTo(DEFAULT.unmarshal(event, WatchEvent.class));
  }

  private static ObjectMeta eventPodMetadata(KubernetesSerialization serialization) {
    WatchEvent event = serialization.unmarshal(event("MODIFIED", FIXTURE), WatchEvent.class);
    return ((Pod) event.getObject()).getMetadata();
  }

  @Test
  void aPodEventsObjectHasNoManagedFields() {
    assertThat(eventPodMetadata(STREAMING).getManagedFields()).isEmpty();
  }

  @Test
  void aPodEventsObjectHasNoLastAppliedAnnotation() {
    assertThat(eventPodMetadata(STREAMING).getAnnotations())
        .doesNotContainKey(PodView.LAST_APPLIED);
  }

  @Test
  void theDefaultDecoderKeepsWhatAPodEventDrops() {
    ObjectMeta metadata = eventPodMetadata(DEFAULT);
    assertThat(metadata.getManagedFields()).isNotEmpty();
    assertThat(metadata.getAnnotations()).containsKey(PodView.LAST_APPLIED);
  }

  /**
   * With fabric8 told to decode v1 Pods as generic resources, a Pod event that opens with its kind
   * still yields a Pod: it never reaches fabric8's {@code KubernetesDeserializer}.
   */
  @Test
  void aPodEventOpeningWithItsKindIsStreamedPastFabric8() {
    KubernetesSerialization serialization = streaming();
    serialization.registerKubernetesResource("v1", "Pod", GenericKubernetesResource.class);
    assertThat(serialization.unmarshal(event("MODIFIED", FIXTURE), WatchEvent.class).getObject())
        .isInstanceOf(Pod.class);
  }

  /** The same, for a Pod event whose kind is not among its first fields: fabric8 decodes it. */
  @Test
  void aPodEventNotOpeningWithItsKindIsLeftToFabric8() {
    KubernetesSerialization serialization = streaming();
    serialization.registerKubernetesResource("v1", "Pod", GenericKubernetesResource.class);
    String event = event("MODIFIED", reversed(FIXTURE));
    assertThat(serialization.unmarshal(event, WatchEvent.class).getObject())
        .isInstanceOf(GenericKubernetesResource.class);
  }
}
