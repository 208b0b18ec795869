package org.spireoperator.scm.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.spireoperator.scm.Outcome;

/** Any template text, however broken, gives a value or a failure; nothing escapes. */
class TemplateProperties {

  private static final List<String> PIECES =
      List.of(
          "{{",
          "}}",
          "{{- ",
          " -}}",
          " ",
          ".",
          "|",
          "(",
          ")",
          "\"",
          "`",
          "'",
          "$",
          "-",
          "%",
          ":=",
          ",",
          "/*",
          "*/",
          "\\",
          "0",
          "7",
          "x",
          ".PodMeta",
          ".PodSpec",
          ".NodeMeta",
          ".NodeSpec",
          ".Name",
          ".Labels",
          ".UID",
          ".Containers",
          ".TrustDomain",
          "index",
          "printf",
          "print",
          "println",
          "len",
          "if",
          "end",
          "nil",
          "true",
          "\"%s\"",
          "\"%d\"",
          "\"%v\"",
          "\"app\"",
          "0x1",
          "spiffe://",
          "/ns/",
          "\n");

  @Provide
  Arbitrary<String> templateText() {
    return Arbitraries.of(PIECES).list().ofMaxSize(30).map(l -> String.join("", l));
  }

  @Property(tries = 2000)
  @Label("parse and render never throw")
  void parseAndRenderNeverThrow(@ForAll("templateText") String source) {
    Outcome<GoTemplate> parsed = GoTemplate.parse("t", source);
    Outcome<String> rendered = parsed.flatMap(t -> t.render(GoTemplateTest.data()));
    Outcome<String> withoutPod = parsed.flatMap(t -> t.render(GoTemplateTest.data().withoutPod()));

    assertThat(List.of(parsed, rendered, withoutPod)).allSatisfy(o -> assertThat(o).isNotNull());
    if (!rendered.isOk()) {
      assertThat(rendered.failure()).startsWith("template \"t\": ");
    }
  }

  @Provide
  Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(
            Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3),
            Arbitraries.strings().alpha().numeric().ofMaxLength(5))
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(3);
  }

  @Property(tries = 500)
  @Label("index of a label is its value, or empty when missing; a field chain gives <no value>")
  void labelLookups(@ForAll("labels") Map<String, String> labels, @ForAll("keys") String key) {
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    ObjectNode labelNode = meta.putObject("labels");
    labels.forEach(labelNode::put);
    TemplateData data =
        new TemplateData(
            "example.org", "c", "cluster.local", KubeJson.ofTree(meta), null, null, null);

    String byIndex =
        GoTemplate.parse("t", "{{ index .PodMeta.Labels \"" + key + "\" }}")
            .flatMap(t -> t.render(data))
            .orElseThrow();
    String byField =
        GoTemplate.parse("t", "{{ .PodMeta.Labels." + key + " }}")
            .flatMap(t -> t.render(data))
            .orElseThrow();

    assertThat(List.of(byIndex, byField))
        .containsExactly(labels.getOrDefault(key, ""), labels.getOrDefault(key, "<no value>"));
  }

  @Provide
  Arbitrary<List<Object>> printfArgs() {
    Arbitrary<Object> arg =
        Arbitraries.oneOf(
            Arbitraries.strings().alpha().ofMaxLength(4).map(s -> (Object) ("\"" + s + "\"")),
            Arbitraries.integers().between(-5, 500).map(i -> (Object) i));
    return arg.list().ofMaxSize(4);
  }

  @Property(tries = 500)
  @Label("printf %v with n verbs and m arguments follows fmt (MISSING / EXTRA)")
  void printfArity(
      @ForAll("printfArgs") List<Object> args,
      @ForAll @net.jqwik.api.constraints.IntRange(max = 4) int verbs) {
    String format = "%v-".repeat(verbs);
    String source =
        "{{ printf \""
            + format
            + "\""
            + args.stream().map(a -> " " + a).reduce("", String::concat)
            + " }}";

    String out =
        GoTemplate.parse("t", source).flatMap(t -> t.render(GoTemplateTest.data())).orElseThrow();

    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < verbs; i++) {
      expected.append(i < args.size() ? unquote(args.get(i)) : "%!v(MISSING)").append('-');
    }
    if (args.size() > verbs) {
      expected.append("%!(EXTRA ");
      for (int i = verbs; i < args.size(); i++) {
        Object a = args.get(i);
        expected
            .append(i > verbs ? ", " : "")
            .append(a instanceof String ? "string=" : "int=")
            .append(unquote(a));
      }
      expected.append(')');
    }
    assertThat(out).isEqualTo(expected.toString());
  }

  private static String unquote(Object a) {
    return a instanceof String s ? s.substring(1, s.length() - 1) : a.toString();
  }
}
