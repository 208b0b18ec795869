package org.spireoperator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The checks the configuration's values share (choices, durations, addresses, names), each failing
 * with a {@link ConfigException} that names the key and shows an example of a good value.
 */
final class KeyChecks {

  private final HclBlock block;

  KeyChecks(HclBlock block) {
    this.block = block;
  }

  /** One of an enum's values, by the way the file writes them. */
  <E extends Enum<E>> E choice(String key, E[] values, Function<E, String> hcl, E fallback) {
    Optional<String> value = block.string(key);
    if (value.isEmpty()) {
      return fallback;
    }
    return Arrays.stream(values)
        .filter(e -> hcl.apply(e).equals(value.get()))
        .findFirst()
        .orElseThrow(
            () ->
                block.error(
                    key,
                    "must be one of "
                        + Arrays.stream(values)
                            .map(e -> quoted(hcl.apply(e)))
                            .collect(Collectors.joining(", "))
                        + ", got "
                        + HclBlock.describe(value.get()),
                    "write e.g. " + block.path(key) + " = " + quoted(hcl.apply(fallback))));
  }

  /** One of {@code allowed}, case-insensitive; returned in lowercase. */
  String oneOf(String key, List<String> allowed, String fallback) {
    String value = block.string(key, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw block.error(
          key,
          "must be one of "
              + allowed.stream().map(KeyChecks::quoted).collect(Collectors.joining(", "))
              + ", got "
              + HclBlock.describe(block.string(key, "")),
          "write e.g. " + block.path(key) + " = " + quoted(fallback));
    }
    return value;
  }

  /** A Go duration longer than zero. */
  Duration positiveDuration(String key, Duration fallback) {
    Optional<String> value = block.string(key);
    if (value.isEmpty()) {
      return fallback;
    }
    Duration duration =
        GoDuration.parse(value.get())
            .orElseThrow(
                () ->
                    block.error(
                        key,
                        "must be a duration such as \"30s\", \"5m\" or \"1h30m\", got "
                            + HclBlock.describe(value.get()),
                        "write e.g. " + block.example(key)));
    if (!Durations.isPositive(duration)) {
      throw block.error(
          key,
          "must be longer than zero, got " + HclBlock.describe(value.get()),
          "write e.g. " + block.example(key));
    }
    return duration;
  }

  /** A metrics listener: {@code [host]:port}, or "0" for none. */
  String metricsAddress(String key) {
    String value = block.string(key, ":8080");
    if (value.equals(Observability.DISABLED)) {
      return value;
    }
    return requireThat(
        key, value, Addresses::isListenAddress, "[host]:port, or \"0\" to disable metrics");
  }

  /** A listener: {@code [host]:port}. */
  String listenAddress(String key, String fallback) {
    return requireThat(key, block.string(key, fallback), Addresses::isListenAddress, "[host]:port");
  }

  Optional<String> absolutePath(String key) {
    return block
        .string(key)
        .map(path -> requireThat(key, path, Addresses::isAbsolutePath, "an absolute path"));
  }

  /** A label or annotation key. */
  String qualifiedName(String key, String value) {
    return requireThat(
        key,
        value,
        KubernetesNames::isQualifiedName,
        "a label or annotation key, such as \"spire-workload\" or \"spiffe.io/spiffe-id\"");
  }

  /** A value that is used as one segment of SPIFFE ID paths. */
  String pathSegment(String key, String value) {
    return requireThat(
        key,
        value,
        SpiffeSyntax::isPathSegment,
        "usable in a SPIFFE ID path: letters, digits, \".\", \"_\" and \"-\" only");
  }

  /** A namespace name. */
  String namespace(String key, String value) {
    return requireThat(
        key,
        value,
        KubernetesNames::isDnsLabel,
        "a namespace name (lowercase letters, digits and \"-\")");
  }

  String requireThat(String key, String value, Predicate<String> valid, String expected) {
    if (!valid.test(value)) {
      throw block.error(
          key,
          "must be " + expected + ", got " + HclBlock.describe(value),
          "write e.g. " + block.example(key));
    }
    return value;
  }

  /** A list of namespace names. */
  Optional<List<String>> namespaces(String key) {
    return block
        .strings(key)
        .map(
            names ->
                requireEach(
                    key,
                    names,
                    KubernetesNames::isDnsLabel,
                    "namespace names",
                    "use lowercase letters, digits and \"-\", e.g. " + block.example(key)));
  }

  /** Each of {@code values} passes {@code valid}, else the first that does not is named. */
  List<String> requireEach(
      String key, List<String> values, Predicate<String> valid, String what, String fix) {
    values.stream()
        .filter(valid.negate())
        .findFirst()
        .ifPresent(
            bad -> {
              throw block.error(
                  key,
                  "must hold " + what + ", but " + HclBlock.describe(bad) + " is not one",
                  fix);
            });
    return values;
  }

  private static String quoted(String value) {
    return "\"" + value + "\"";
  }
}
