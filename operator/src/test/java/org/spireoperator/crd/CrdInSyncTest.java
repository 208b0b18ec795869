package org.spireoperator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed CRD copies are exactly what the build generates from {@link SpiffeID}. Tests run
 * with the operator module as working directory, so the repository root is {@code ..}.
 */
class CrdInSyncTest {

  private static final String FILE = "spiffeids.spiffeid.spiffe.io-v1.yml";

  private static String generated() throws IOException {
    try (InputStream in =
        CrdInSyncTest.class.getClassLoader().getResourceAsStream("META-INF/fabric8/" + FILE)) {
      assertThat(in)
          .as("META-INF/fabric8/%s on the classpath (written by crd-generator-maven-plugin)", FILE)
          .isNotNull();
      return normalize(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static String normalize(String text) {
    return text.replace("\r\n", "\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../crds", "../deploy/crds"})
  void committedCopyMatchesTheGeneratedCrd(String directory) throws IOException {
    Path copy = Path.of(directory, FILE);
    assertThat(copy).as("%s exists", copy).exists();
    String committed = normalize(Files.readString(copy, StandardCharsets.UTF_8));

    assertThat(committed)
        .as(
            "%s is out of date with the SpiffeID classes; refresh it from the repository root with:%n"
                + "  ./mvnw -B -q -pl operator -am process-classes && "
                + "cp operator/target/classes/META-INF/fabric8/%s %s/",
            copy, FILE, directory.substring(3))
        .isEqualTo(generated());
  }
}
