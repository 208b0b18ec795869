package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class UnknownKeyPropertiesTest {

  @Property
  void anyUnknownKeyIsRejectedWithAMessageNamingIt(@ForAll("unknownKeys") String key) {
    String config = Configs.withRequired(key + " = \"value\"");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Configs.parse(config));

    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .startsWith(Configs.SOURCE + ": ")
        .contains("\"" + key + "\"")
        .doesNotContain("\n");
  }

  @Property
  void anyUnknownKeyInTheTenantBlockIsRejectedWithAMessageNamingIt(
      @ForAll("unknownTenantKeys") String key) {
    String config = Configs.withRequired("tenant {", "  " + key + " = true", "}");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Configs.parse(config));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("\"tenant." + key + "\"");
  }

  @Provide
  Arbitrary<String> unknownKeys() {
    return identifiers().filter(k -> !KnownKeys.TOP_LEVEL.containsKey(k));
  }

  @Provide
  Arbitrary<String> unknownTenantKeys() {
    return identifiers().filter(k -> !KnownKeys.TENANT.containsKey(k));
  }

  private static Arbitrary<String> identifiers() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').with('_').range('A', 'Z');
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('_', '-')
            .ofMaxLength(30);
    return Combinators.combine(first, rest).as((c, s) -> c + s);
  }
}
