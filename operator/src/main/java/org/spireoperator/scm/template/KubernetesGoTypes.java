package org.spireoperator.scm.template;

import static org.spireoperator.scm.template.GoType.bool;
import static org.spireoperator.scm.template.GoType.int32;
import static org.spireoperator.scm.template.GoType.int64;
import static org.spireoperator.scm.template.GoType.named;
import static org.spireoperator.scm.template.GoType.string;

import java.util.List;
import org.spireoperator.scm.template.GoType.Field;
import org.spireoperator.scm.template.GoType.MapOf;
import org.spireoperator.scm.template.GoType.Opaque;
import org.spireoperator.scm.template.GoType.Pointer;
import org.spireoperator.scm.template.GoType.SliceOf;
import org.spireoperator.scm.template.GoType.Struct;
import org.spireoperator.scm.template.GoType.Time;

/**
 * The Kubernetes Go types a spire-controller-manager template can reach ({@code metav1.ObjectMeta},
 * {@code corev1.PodSpec}, {@code corev1.NodeSpec} and what they contain), as of k8s.io/api v0.34:
 * every field with its Go name and JSON name. Types whose inside templates realistically never read
 * (volumes, probes, affinity...) are {@link Opaque}.
 */
public final class KubernetesGoTypes {

  private static final GoType STRING_MAP = new MapOf(string());
  private static final GoType STRINGS = new SliceOf(string());

  public static final Struct OWNER_REFERENCE =
      new Struct(
          "v1.OwnerReference",
          List.of(
              new Field("APIVersion", "apiVersion", string()),
              new Field("Kind", "kind", string()),
              new Field("Name", "name", string()),
              new Field("UID", "uid", named("types.UID")),
              new Field("Controller", "controller", new Pointer(bool())),
              new Field("BlockOwnerDeletion", "blockOwnerDeletion", new Pointer(bool()))));

  /** {@code k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta}. */
  public static final Struct OBJECT_META =
      new Struct(
          "v1.ObjectMeta",
          List.of(
              new Field("Name", "name", string()),
              new Field("GenerateName", "generateName", string()),
              new Field("Namespace", "namespace", string()),
              new Field("SelfLink", "selfLink", string()),
              new Field("UID", "uid", named("types.UID")),
              new Field("ResourceVersion", "resourceVersion", string()),
              new Field("Generation", "generation", int64()),
              new Field("CreationTimestamp", "creationTimestamp", new Time()),
              new Field("DeletionTimestamp", "deletionTimestamp", new Pointer(new Time())),
              new Field(
                  "DeletionGracePeriodSeconds", "deletionGracePeriodSeconds", new Pointer(int64())),
              new Field("Labels", "labels", STRING_MAP),
              new Field("Annotations", "annotations", STRING_MAP),
              new Field("OwnerReferences", "ownerReferences", new SliceOf(OWNER_REFERENCE)),
              new Field("Finalizers", "finalizers", STRINGS),
              new Field(
                  "ManagedFields",
                  "managedFields",
                  new SliceOf(new Opaque("v1.ManagedFieldsEntry")))));

  public static final Struct CONTAINER_PORT =
      new Struct(
          "v1.ContainerPort",
          List.of(
              new Field("Name", "name", string()),
              new Field("HostPort", "hostPort", int32()),
              new Field("ContainerPort", "containerPort", int32()),
              new Field("Protocol", "protocol", named("v1.Protocol")),
              new Field("HostIP", "hostIP", string())));

  public static final Struct ENV_VAR =
      new Struct(
          "v1.EnvVar",
          List.of(
              new Field("Name", "name", string()),
              new Field("Value", "value", string()),
              new Field("ValueFrom", "valueFrom", new Pointer(new Opaque("v1.EnvVarSource")))));

  /** {@code corev1.Container}. */
  public static final Struct CONTAINER =
      new Struct(
          "v1.Container",
          List.of(
              new Field("Name", "name", string()),
              new Field("Image", "image", string()),
              new Field("Command", "command", STRINGS),
              new Field("Args", "args", STRINGS),
              new Field("WorkingDir", "workingDir", string()),
              new Field("Ports", "ports", new SliceOf(CONTAINER_PORT)),
              new Field("EnvFrom", "envFrom", new SliceOf(new Opaque("v1.EnvFromSource"))),
              new Field("Env", "env", new SliceOf(ENV_VAR)),
              new Field("Resources", "resources", new Opaque("v1.ResourceRequirements")),
              new Field(
                  "ResizePolicy",
                  "resizePolicy",
                  new SliceOf(new Opaque("v1.ContainerResizePolicy"))),
              new Field(
                  "RestartPolicy",
                  "restartPolicy",
                  new Pointer(named("v1.ContainerRestartPolicy"))),
              new Field(
                  "RestartPolicyRules",
                  "restartPolicyRules",
                  new SliceOf(new Opaque("v1.ContainerRestartRule"))),
              new Field("VolumeMounts", "volumeMounts", new SliceOf(new Opaque("v1.VolumeMount"))),
              new Field(
                  "VolumeDevices", "volumeDevices", new SliceOf(new Opaque("v1.VolumeDevice"))),
              new Field("LivenessProbe", "livenessProbe", new Pointer(new Opaque("v1.Probe"))),
              new Field("ReadinessProbe", "readinessProbe", new Pointer(new Opaque("v1.Probe"))),
              new Field("StartupProbe", "startupProbe", new Pointer(new Opaque("v1.Probe"))),
              new Field("Lifecycle", "lifecycle", new Pointer(new Opaque("v1.Lifecycle"))),
              new Field("TerminationMessagePath", "terminationMessagePath", string()),
              new Field(
                  "TerminationMessagePolicy",
                  "terminationMessagePolicy",
                  named("v1.TerminationMessagePolicy")),
              new Field("ImagePullPolicy", "imagePullPolicy", named("v1.PullPolicy")),
              new Field(
                  "SecurityContext",
                  "securityContext",
                  new Pointer(new Opaque("v1.SecurityContext"))),
              new Field("Stdin", "stdin", bool()),
              new Field("StdinOnce", "stdinOnce", bool()),
              new Field("TTY", "tty", bool())));

  public static final Struct TOLERATION =
      new Struct(
          "v1.Toleration",
          List.of(
              new Field("Key", "key", string()),
              new Field("Operator", "operator", named("v1.TolerationOperator")),
              new Field("Value", "value", string()),
              new Field("Effect", "effect", named("v1.TaintEffect")),
              new Field("TolerationSeconds", "tolerationSeconds", new Pointer(int64()))));

  public static final Struct LOCAL_OBJECT_REFERENCE =
      new Struct("v1.LocalObjectReference", List.of(new Field("Name", "name", string())));

  /** {@code corev1.PodSpec}. */
  public static final Struct POD_SPEC =
      new Struct(
          "v1.PodSpec",
          List.of(
              new Field("Volumes", "volumes", new SliceOf(new Opaque("v1.Volume"))),
              new Field("InitContainers", "initContainers", new SliceOf(CONTAINER)),
              new Field("Containers", "containers", new SliceOf(CONTAINER)),
              new Field(
                  "EphemeralContainers",
                  "ephemeralContainers",
                  new SliceOf(new Opaque("v1.EphemeralContainer"))),
              new Field("RestartPolicy", "restartPolicy", named("v1.RestartPolicy")),
              new Field(
                  "TerminationGracePeriodSeconds",
                  "terminationGracePeriodSeconds",
                  new Pointer(int64())),
              new Field("ActiveDeadlineSeconds", "activeDeadlineSeconds", new Pointer(int64())),
              new Field("DNSPolicy", "dnsPolicy", named("v1.DNSPolicy")),
              new Field("NodeSelector", "nodeSelector", STRING_MAP),
              new Field("ServiceAccountName", "serviceAccountName", string()),
              new Field("DeprecatedServiceAccount", "serviceAccount", string()),
              new Field(
                  "AutomountServiceAccountToken",
                  "automountServiceAccountToken",
                  new Pointer(bool())),
              new Field("NodeName", "nodeName", string()),
              new Field("HostNetwork", "hostNetwork", bool()),
              new Field("HostPID", "hostPID", bool()),
              new Field("HostIPC", "hostIPC", bool()),
              new Field("ShareProcessNamespace", "shareProcessNamespace", new Pointer(bool())),
              new Field(
                  "SecurityContext",
                  "securityContext",
                  new Pointer(new Opaque("v1.PodSecurityContext"))),
              new Field(
                  "ImagePullSecrets", "imagePullSecrets", new SliceOf(LOCAL_OBJECT_REFERENCE)),
              new Field("Hostname", "hostname", string()),
              new Field("Subdomain", "subdomain", string()),
              new Field("Affinity", "affinity", new Pointer(new Opaque("v1.Affinity"))),
              new Field("SchedulerName", "schedulerName", string()),
              new Field("Tolerations", "tolerations", new SliceOf(TOLERATION)),
              new Field("HostAliases", "hostAliases", new SliceOf(new Opaque("v1.HostAlias"))),
              new Field("PriorityClassName", "priorityClassName", string()),
              new Field("Priority", "priority", new Pointer(int32())),
              new Field("DNSConfig", "dnsConfig", new Pointer(new Opaque("v1.PodDNSConfig"))),
              new Field(
                  "ReadinessGates",
                  "readinessGates",
                  new SliceOf(new Opaque("v1.PodReadinessGate"))),
              new Field("RuntimeClassName", "runtimeClassName", new Pointer(string())),
              new Field("EnableServiceLinks", "enableServiceLinks", new Pointer(bool())),
              new Field(
                  "PreemptionPolicy",
                  "preemptionPolicy",
                  new Pointer(named("v1.PreemptionPolicy"))),
              new Field("Overhead", "overhead", new Opaque("v1.ResourceList")),
              new Field(
                  "TopologySpreadConstraints",
                  "topologySpreadConstraints",
                  new SliceOf(new Opaque("v1.TopologySpreadConstraint"))),
              new Field("SetHostnameAsFQDN", "setHostnameAsFQDN", new Pointer(bool())),
              new Field("OS", "os", new Pointer(new Opaque("v1.PodOS"))),
              new Field("HostUsers", "hostUsers", new Pointer(bool())),
              new Field(
                  "SchedulingGates",
                  "schedulingGates",
                  new SliceOf(new Opaque("v1.PodSchedulingGate"))),
              new Field(
                  "ResourceClaims",
                  "resourceClaims",
                  new SliceOf(new Opaque("v1.PodResourceClaim"))),
              new Field(
                  "Resources", "resources", new Pointer(new Opaque("v1.ResourceRequirements"))),
              new Field("HostnameOverride", "hostnameOverride", new Pointer(string()))));

  public static final Struct TAINT =
      new Struct(
          "v1.Taint",
          List.of(
              new Field("Key", "key", string()),
              new Field("Value", "value", string()),
              new Field("Effect", "effect", named("v1.TaintEffect")),
              new Field("TimeAdded", "timeAdded", new Pointer(new Time()))));

  /** {@code corev1.NodeSpec}. */
  public static final Struct NODE_SPEC =
      new Struct(
          "v1.NodeSpec",
          List.of(
              new Field("PodCIDR", "podCIDR", string()),
              new Field("PodCIDRs", "podCIDRs", STRINGS),
              new Field("ProviderID", "providerID", string()),
              new Field("Unschedulable", "unschedulable", bool()),
              new Field("Taints", "taints", new SliceOf(TAINT)),
              new Field(
                  "ConfigSource", "configSource", new Pointer(new Opaque("v1.NodeConfigSource"))),
              new Field("DoNotUseExternalID", "externalID", string())));

  private KubernetesGoTypes() {}
}
