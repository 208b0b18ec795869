package org.spireoperator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README.md's configuration table has exactly one row per key the loader accepts. */
class ConfigDocsTest {

  private static final Pattern ROW = Pattern.compile("^\\| `([a-z_.]+)` \\|", Pattern.MULTILINE);

  /** The "Configuration keys" section of the README. */
  private static String configTable() throws IOException {
    String readme = Files.readString(Configs.repositoryRoot().resolve("README.md"));
    int start = readme.indexOf("### Configuration keys");
    int end = readme.indexOf("\n#", start + 10);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  @Test
  void theConfigTableHasOneRowForEachKnownKey() throws IOException {
    String doc = configTable();
    Matcher rows = ROW.matcher(doc);
    List<String> documented = new ArrayList<>();
    while (rows.find()) {
      documented.add(rows.group(1));
    }
    Set<String> known =
        Stream.of(
                KnownKeys.TOP_LEVEL.keySet().stream(),
                KnownKeys.TENANT.keySet().stream().map(k -> "tenant." + k),
                KnownKeys.CLUSTER_SPIFFEIDS.keySet().stream().map(k -> "cluster_spiffeids." + k))
            .flatMap(k -> k)
            .collect(Collectors.toSet());

    assertThat(documented).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(known);
  }

  @Test
  void theConfigTableMarksExactlyTheUpstreamKeysAsUpstream() throws IOException {
    String doc = configTable();
    Set<String> markedUpstream =
        doc.lines()
            .filter(line -> ROW.matcher(line).find())
            .filter(line -> line.matches(".*\\| yes( \\([a-z, ]+\\))? \\|\\s*$"))
            .map(line -> line.substring(3, line.indexOf('`', 3)))
            .collect(Collectors.toSet());
    Set<String> upstream =
        KnownKeys.TOP_LEVEL.keySet().stream()
            .filter(KnownKeys::isUpstream)
            .collect(Collectors.toSet());

    assertThat(markedUpstream).containsExactlyInAnyOrderElementsOf(upstream);
  }
}
