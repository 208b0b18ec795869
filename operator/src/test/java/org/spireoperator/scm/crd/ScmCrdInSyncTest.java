package org.spireoperator.scm.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed copies of spire-controller-manager's CRDs are exactly what the build generates from
 * {@code org.spireoperator.scm.crd}. Tests run in the operator module, so the repository root is
 * {@code ..}.
 */
class ScmCrdInSyncTest {

  static Stream<Arguments> copies() {
    return Stream.of(
            ClusterSPIFFEID.CRD_NAME,
            ClusterStaticEntry.CRD_NAME,
            ClusterFederatedTrustDomain.CRD_NAME)
        .flatMap(
            crd ->
                Stream.of("../crds", "../deploy/crds")
                    .map(directory -> Arguments.of(crd + "-v1.yml", directory)));
  }

  @ParameterizedTest(name = "{1}/{0} is what crd-generator writes")
  @MethodSource("copies")
  void committedCopyMatchesTheGeneratedCrd(String file, String directory) throws IOException {
    Path copy = Path.of(directory, file);
    assertThat(copy).as("%s exists", copy).exists();

    assertThat(normalize(Files.readString(copy, StandardCharsets.UTF_8)))
        .as(
            "%s is out of date with org.spireoperator.scm.crd; refresh it from the repository root "
                + "with:%n  ./mvnw -B -q -pl operator -am process-classes && "
                + "cp operator/target/classes/META-INF/fabric8/%s %s/",
            copy, file, directory.substring(3))
        .isEqualTo(generated(file));
  }

  private static String generated(String file) throws IOException {
    try (InputStream in =
        ScmCrdInSyncTest.class.getClassLoader().getResourceAsStream("META-INF/fabric8/" + file)) {
      assertThat(in)
          .as("META-INF/fabric8/%s on the classpath (written by crd-generator-maven-plugin)", file)
          .isNotNull();
      return normalize(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static String normalize(String text) {
    return text.replace("\r\n", "\n");
  }
}
