package org.spireoperator.scm.entries;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ignoreNamespaces are Go regular expressions matched anywhere in the namespace's name. */
class IgnoredNamespacesTest {

  private static IgnoredNamespaces of(String... patterns) {
    return IgnoredNamespaces.of(List.of(patterns)).orElseThrow();
  }

  @ParameterizedTest(name = "{0} ignores {1}: {2}")
  @CsvSource({
    "kube-system,kube-system,true",
    "kube-system,my-kube-system-copy,true",
    "^kube-system$,my-kube-system-copy,false",
    "openshift-.*,openshift-monitoring,true",
    "openshift-.*,shop,false",
    "ibm-.*,team-ibm-x,true",
    "'[[:digit:]]$',shop2,true",
    "'(?P<env>dev|test)-.*',dev-shop,true"
  })
  @DisplayName("a pattern ignores a namespace when it matches anywhere in the name")
  void matchesAnywhere(String pattern, String namespace, boolean ignored) {
    assertThat(of(pattern).isIgnored(namespace)).isEqualTo(ignored);
  }

  @Test
  void spireControllerManagersDefaultsIgnoreKubeAndSpireSystem() {
    IgnoredNamespaces defaults = of(IgnoredNamespaces.SCM_DEFAULT.toArray(String[]::new));

    assertThat(
            List.of("kube-system", "kube-public", "spire-system", "default", "spire-server")
                .stream()
                .map(defaults::isIgnored))
        .containsExactly(true, true, true, false, false);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'a(?=b)'", "'(a)\\1'", "'a*+'", "'(?>a)'", "'(unclosed'"})
  @DisplayName("refuses patterns Go's RE2 refuses")
  void refusesWhatRe2Refuses(String pattern) {
    assertThat(IgnoredNamespaces.of(List.of(pattern)).failure()).startsWith("ignoreNamespaces: ");
  }

  @Test
  void anEscapedPlusFollowedByAQuantifierIsFine() {
    assertThat(IgnoredNamespaces.of(List.of("a\\++")).isOk()).isTrue();
  }
}
