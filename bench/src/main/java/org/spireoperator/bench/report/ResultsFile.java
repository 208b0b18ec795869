package org.spireoperator.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RESULTS.md as named sections ({@code <!-- BEGIN name -->} … {@code <!-- END name -->}). A run
 * replaces the sections it produced and keeps the others (e.g. the scale run's, written by a
 * separate {@code --scale} run, or a hand-written analysis), in the order given.
 */
public final class ResultsFile {

  private static final Pattern SECTION =
      Pattern.compile("<!-- BEGIN ([a-z0-9-]+) -->\\n(.*?)<!-- END \\1 -->\\n?", Pattern.DOTALL);

  private ResultsFile() {}

  public static void update(Path file, Map<String, String> produced, List<String> order)
      throws IOException {
    Map<String, String> sections = new LinkedHashMap<>();
    if (Files.exists(file)) {
      Matcher m = SECTION.matcher(Files.readString(file));
      while (m.find()) {
        sections.put(m.group(1), m.group(2));
      }
    }
    sections.putAll(produced);
    List<String> names = new ArrayList<>(order);
    sections.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
    StringBuilder b = new StringBuilder();
    for (String name : names) {
      String body = sections.get(name);
      if (body == null) {
        continue;
      }
      b.append("<!-- BEGIN ")
          .append(name)
          .append(" -->\n")
          .append(body.endsWith("\n") ? body : body + "\n")
          .append("<!-- END ")
          .append(name)
          .append(" -->\n\n");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, b.toString().stripTrailing() + "\n");
  }
}
