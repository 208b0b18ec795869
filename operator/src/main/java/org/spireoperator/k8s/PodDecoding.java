package org.spireoperator.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spireoperator.registration.PodView;

/**
 * Decodes a Pod straight into what {@link PodPruning} keeps: the JSON is streamed, the kept fields
 * are read and everything else (managed fields, volumes, env, probes, conditions, container
 * statuses, kubectl's last-applied annotation) is skipped without building an object for it.
 * Decoding Pod watch events and list pages into fabric8's full model and pruning it afterwards is
 * most of the operator's CPU.
 *
 * <p>{@link #module()} applies to every Pod the mapper decodes (list pages, {@code get}, and the
 * Pods inside watch events), so a mapper carrying it must only serve the Pod informer's reads: a
 * Pod it returns is the cache's, pruned, and not fit to be written back. A watch event's object is
 * streamed when it opens with {@code apiVersion: v1} and {@code kind: Pod}, as the API server
 * writes it; any other event is decoded by fabric8 as before. JSON {@code null}s, and values of
 * another type in a kept field, decode as with the default decoder; a dropped field is skipped
 * whatever its value.
 */
public final class PodDecoding {

  private static final String API_VERSION = "apiVersion";
  private static final String KIND = "kind";
  private static final String OBJECT = "object";

  private static final TypeFactory TYPES = TypeFactory.defaultInstance();
  private static final JavaType STRING_MAP =
      TYPES.constructMapType(Map.class, String.class, String.class);
  private static final JavaType STRINGS = listOf(String.class);
  private static final JavaType OWNER_REFERENCES = listOf(OwnerReference.class);
  private static final JavaType CONTAINERS = listOf(Container.class);
  private static final JavaType PORTS = listOf(ContainerPort.class);
  private static final JavaType POD_IPS = listOf(PodIP.class);
  private static final JavaType HOST_IPS = listOf(HostIP.class);

  private PodDecoding() {}

  /**
   * The Kubernetes client's serialization with {@link #module()} on its mapper: for the client
   * whose Pods are only ever read into the pod cache (the operator writes no Pod).
   */
  public static KubernetesSerialization serialization() {
    return new KubernetesSerialization(new ObjectMapper().registerModule(module()), true);
  }

  /**
   * The Jackson module that decodes Pods, and the Pods in {@link WatchEvent}s, as the pod cache
   * keeps them. Register it on the mapper handed to {@code KubernetesSerialization}.
   */
  public static Module module() {
    return new SimpleModule("PodDecoding")
        .setDeserializerModifier(
            new BeanDeserializerModifier() {
              @Override
              public JsonDeserializer<?> modifyDeserializer(
                  DeserializationConfig config,
                  BeanDescription description,
                  JsonDeserializer<?> deserializer) {
                Class<?> type = description.getBeanClass();
                if (type == Pod.class) {
                  return new PodDeserializer(deserializer);
                }
                if (type == WatchEvent.class) {
                  return new WatchEventDeserializer(deserializer);
                }
                return deserializer;
              }
            });
  }

  /** A Pod streamed when it is a JSON object; anything else decoded by Jackson, then pruned. */
  private static final class PodDeserializer extends DelegatingDeserializer {

    PodDeserializer(JsonDeserializer<?> standard) {
      super(standard);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> standard) {
      return new PodDeserializer(standard);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.isExpectedStartObjectToken()) {
        return pod(p, ctxt, new Pod(), p.nextFieldName());
      }
      if (p.hasToken(JsonToken.FIELD_NAME)) {
        return pod(p, ctxt, new Pod(), p.currentName());
      }
      Pod pod = (Pod) super.deserialize(p, ctxt);
      return pod == null ? null : PodPruning.prune(pod);
    }
  }

  /**
   * A watch event whose object opens as a v1 Pod has that object streamed; the rest of the event,
   * and every other object, is buffered and decoded by the standard deserializer, which hands the
   * object to fabric8's {@code KubernetesDeserializer}.
   */
  private static final class WatchEventDeserializer extends DelegatingDeserializer {

    WatchEventDeserializer(JsonDeserializer<?> standard) {
      super(standard);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> standard) {
      return new WatchEventDeserializer(standard);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.isExpectedStartObjectToken()) {
        return super.deserialize(p, ctxt);
      }
      TokenBuffer rest = ctxt.bufferForInputBuffering(p);
      rest.writeStartObject();
      Pod pod = null;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        p.nextToken();
        if (OBJECT.equals(field)) {
          pod = object(p, ctxt, rest);
        } else {
          rest.writeFieldName(field);
          rest.copyCurrentStructure(p);
        }
      }
      rest.writeEndObject();
      JsonParser buffered = rest.asParser(p);
      buffered.nextToken();
      WatchEvent event = (WatchEvent) super.deserialize(buffered, ctxt);
      if (pod != null) {
        event.setObject(pod);
      }
      return event;
    }

    /** The streamed Pod, or null once a different object has been copied to {@code rest}. */
    private static Pod object(JsonParser p, DeserializationContext ctxt, TokenBuffer rest)
        throws IOException {
      if (!p.isExpectedStartObjectToken()) {
        rest.writeFieldName(OBJECT);
        rest.copyCurrentStructure(p);
        return null;
      }
      boolean apiVersion = false;
      boolean kind = false;
      while (!(apiVersion && kind)) {
        String field = p.nextFieldName();
        if (!apiVersion && API_VERSION.equals(field) && nextIs(p, "v1")) {
          apiVersion = true;
        } else if (!kind && KIND.equals(field) && nextIs(p, "Pod")) {
          kind = true;
        } else {
          copyObject(p, rest, apiVersion, kind);
          return null;
        }
      }
      Pod pod = new Pod();
      pod.setApiVersion("v1");
      pod.setKind("Pod");
      return pod(p, ctxt, pod, p.nextFieldName());
    }

    private static boolean nextIs(JsonParser p, String value) throws IOException {
      return p.nextToken() == JsonToken.VALUE_STRING && value.equals(p.getText());
    }

    /**
     * Copies the object to {@code rest}: the opening fields that matched, the token at hand (a
     * field name, a value whose name was read, or the end) and the fields after it.
     */
    private static void copyObject(JsonParser p, TokenBuffer rest, boolean apiVersion, boolean kind)
        throws IOException {
      rest.writeFieldName(OBJECT);
      rest.writeStartObject();
      if (apiVersion) {
        rest.writeStringField(API_VERSION, "v1");
      }
      if (kind) {
        rest.writeStringField(KIND, "Pod");
      }
      if (!p.hasToken(JsonToken.END_OBJECT)) {
        if (!p.hasToken(JsonToken.FIELD_NAME)) {
          rest.writeFieldName(p.currentName());
        }
        rest.copyCurrentStructure(p);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          rest.copyCurrentStructure(p);
        }
      }
      rest.writeEndObject();
    }
  }

  /** Reads a Pod's remaining fields, starting with {@code field}, and prunes it. */
  private static Pod pod(JsonParser p, DeserializationContext ctxt, Pod pod, String field)
      throws IOException {
    for (; field != null; field = p.nextFieldName()) {
      p.nextToken();
      switch (field) {
        case API_VERSION -> pod.setApiVersion(text(p, ctxt));
        case KIND -> pod.setKind(text(p, ctxt));
        case "metadata" -> pod.setMetadata(metadata(p, ctxt));
        case "spec" -> pod.setSpec(spec(p, ctxt));
        case "status" -> pod.setStatus(status(p, ctxt));
        default -> p.skipChildren();
      }
    }
    return PodPruning.prune(pod);
  }

  private static ObjectMeta metadata(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      return value(p, ctxt, ObjectMeta.class);
    }
    ObjectMeta m = new ObjectMeta();
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      p.nextToken();
      switch (field) {
        case "name" -> m.setName(text(p, ctxt));
        case "namespace" -> m.setNamespace(text(p, ctxt));
        case "uid" -> m.setUid(text(p, ctxt));
        case "generateName" -> m.setGenerateName(text(p, ctxt));
        case "resourceVersion" -> m.setResourceVersion(text(p, ctxt));
        case "generation" -> m.setGeneration(int64(p, ctxt));
        case "creationTimestamp" -> m.setCreationTimestamp(text(p, ctxt));
        case "deletionTimestamp" -> m.setDeletionTimestamp(text(p, ctxt));
        case "deletionGracePeriodSeconds" -> m.setDeletionGracePeriodSeconds(int64(p, ctxt));
        case "labels" -> m.setLabels(strings(p, ctxt));
        case "annotations" -> m.setAnnotations(strings(p, ctxt));
        case "finalizers" -> m.setFinalizers(list(p, ctxt, STRINGS, PodDecoding::text));
        case "ownerReferences" ->
            m.setOwnerReferences(list(p, ctxt, OWNER_REFERENCES, PodDecoding::owner));
        default -> p.skipChildren();
      }
    }
    return m;
  }

  private static PodSpec spec(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      return value(p, ctxt, PodSpec.class);
    }
    PodSpec s = new PodSpec();
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      p.nextToken();
      switch (field) {
        case "nodeName" -> s.setNodeName(text(p, ctxt));
        case "serviceAccountName" -> s.setServiceAccountName(text(p, ctxt));
        case "serviceAccount" -> s.setServiceAccount(text(p, ctxt));
        case "automountServiceAccountToken" -> s.setAutomountServiceAccountToken(bool(p, ctxt));
        case "hostname" -> s.setHostname(text(p, ctxt));
        case "subdomain" -> s.setSubdomain(text(p, ctxt));
        case "setHostnameAsFQDN" -> s.setSetHostnameAsFQDN(bool(p, ctxt));
        case "hostNetwork" -> s.setHostNetwork(bool(p, ctxt));
        case "hostPID" -> s.setHostPID(bool(p, ctxt));
        case "hostIPC" -> s.setHostIPC(bool(p, ctxt));
        case "schedulerName" -> s.setSchedulerName(text(p, ctxt));
        case "priorityClassName" -> s.setPriorityClassName(text(p, ctxt));
        case "priority" -> s.setPriority(int32(p, ctxt));
        case "runtimeClassName" -> s.setRuntimeClassName(text(p, ctxt));
        case "restartPolicy" -> s.setRestartPolicy(text(p, ctxt));
        case "dnsPolicy" -> s.setDnsPolicy(text(p, ctxt));
        case "nodeSelector" -> s.setNodeSelector(strings(p, ctxt));
        case "containers" -> s.setContainers(list(p, ctxt, CONTAINERS, PodDecoding::container));
        case "initContainers" ->
            s.setInitContainers(list(p, ctxt, CONTAINERS, PodDecoding::container));
        default -> p.skipChildren();
      }
    }
    return s;
  }

  private static Container container(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      return value(p, ctxt, Container.class);
    }
    Container c = new Container();
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      p.nextToken();
      switch (field) {
        case "name" -> c.setName(text(p, ctxt));
        case "image" -> c.setImage(text(p, ctxt));
        case "ports" -> c.setPorts(list(p, ctxt, PORTS, PodDecoding::port));
        default -> p.skipChildren();
      }
    }
    return c;
  }

  private static PodStatus status(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      return value(p, ctxt, PodStatus.class);
    }
    PodStatus s = new PodStatus();
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      p.nextToken();
      switch (field) {
        case "phase" -> s.setPhase(text(p, ctxt));
        case "reason" -> s.setReason(text(p, ctxt));
        case "podIP" -> s.setPodIP(text(p, ctxt));
        case "podIPs" -> s.setPodIPs(list(p, ctxt, POD_IPS, PodDecoding::podIp));
        case "hostIP" -> s.setHostIP(text(p, ctxt));
        case "hostIPs" -> s.setHostIPs(list(p, ctxt, HOST_IPS, PodDecoding::hostIp));
        case "startTime" -> s.setStartTime(text(p, ctxt));
        default -> p.skipChildren();
      }
    }
    return s;
  }

  private static OwnerReference owner(JsonParser p, DeserializationContext ctxt)
      throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      return value(p, ctxt, OwnerReference.class);
    }
    OwnerReference r = new OwnerReference();
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      p.nextToken();
      switch (field) {
        case API_VERSION -> r.setApiVersion(text(p, ctxt));
        case KIND -> r.setKind(text(p, ctxt));
        case "name" -> r.setName(text(p, ctxt));
        case "uid" -> r.setUid(text(p, ctxt));
        case "controller" -> r.setController(bool(p, ctxt));
        case "blockOwnerDeletion" -> r.setBlockOwnerDeletion(bool(p, ctxt));
        default -> p.skipChildren();
      }
    }
    return r;
  }

  private static ContainerPort port(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      return value(p, ctxt, ContainerPort.class);
    }
    ContainerPort port = new ContainerPort();
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      p.nextToken();
      switch (field) {
        case "name" -> port.setName(text(p, ctxt));
        case "containerPort" -> port.setContainerPort(int32(p, ctxt));
        case "protocol" -> port.setProtocol(text(p, ctxt));
        default -> p.skipChildren();
      }
    }
    return port;
  }

  private static PodIP podIp(JsonParser p, DeserializationContext ctxt) throws IOException {
    return p.isExpectedStartObjectToken() ? new PodIP(ip(p, ctxt)) : value(p, ctxt, PodIP.class);
  }

  private static HostIP hostIp(JsonParser p, DeserializationContext ctxt) throws IOException {
    return p.isExpectedStartObjectToken() ? new HostIP(ip(p, ctxt)) : value(p, ctxt, HostIP.class);
  }

  /** The {@code ip} of a PodIP or HostIP object. */
  private static String ip(JsonParser p, DeserializationContext ctxt) throws IOException {
    String ip = null;
    for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
      p.nextToken();
      if ("ip".equals(field)) {
        ip = text(p, ctxt);
      } else {
        p.skipChildren();
      }
    }
    return ip;
  }

  /** An array read element by element; anything else decoded as Jackson decodes {@code type}. */
  private static <T> List<T> list(
      JsonParser p, DeserializationContext ctxt, JavaType type, Reader<T> element)
      throws IOException {
    if (!p.isExpectedStartArrayToken()) {
      return value(p, ctxt, type);
    }
    List<T> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(element.read(p, ctxt));
    }
    return out;
  }

  /**
   * A string map in the source's order; kubectl's last-applied annotation, which pruning drops, is
   * skipped unread.
   */
  private static Map<String, String> strings(JsonParser p, DeserializationContext ctxt)
      throws IOException {
    if (!p.isExpectedStartObjectToken()) {
      return value(p, ctxt, STRING_MAP);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      if (!(p.nextToken() == JsonToken.VALUE_STRING && PodView.LAST_APPLIED.equals(key))) {
        out.put(key, text(p, ctxt));
      }
    }
    return out;
  }

  private static String text(JsonParser p, DeserializationContext ctxt) throws IOException {
    return p.hasToken(JsonToken.VALUE_STRING) ? p.getText() : value(p, ctxt, String.class);
  }

  private static Boolean bool(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.hasToken(JsonToken.VALUE_TRUE)) {
      return Boolean.TRUE;
    }
    return p.hasToken(JsonToken.VALUE_FALSE) ? Boolean.FALSE : value(p, ctxt, Boolean.class);
  }

  private static Integer int32(JsonParser p, DeserializationContext ctxt) throws IOException {
    return p.isExpectedNumberIntToken()
        ? Integer.valueOf(p.getIntValue())
        : value(p, ctxt, Integer.class);
  }

  private static Long int64(JsonParser p, DeserializationContext ctxt) throws IOException {
    return p.isExpectedNumberIntToken()
        ? Long.valueOf(p.getLongValue())
        : value(p, ctxt, Long.class);
  }

  /** The value at hand as Jackson decodes a property of that type: null stays null. */
  private static <T> T value(JsonParser p, DeserializationContext ctxt, Class<T> type)
      throws IOException {
    return p.hasToken(JsonToken.VALUE_NULL) ? null : ctxt.readValue(p, type);
  }

  private static <T> T value(JsonParser p, DeserializationContext ctxt, JavaType type)
      throws IOException {
    return p.hasToken(JsonToken.VALUE_NULL) ? null : ctxt.readValue(p, type);
  }

  private static JavaType listOf(Class<?> element) {
    return TYPES.constructCollectionType(List.class, element);
  }

  /** Reads one value, the parser at its first token. */
  private interface Reader<T> {
    T read(JsonParser p, DeserializationContext ctxt) throws IOException;
  }
}
