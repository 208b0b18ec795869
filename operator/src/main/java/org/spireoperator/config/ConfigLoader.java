package org.spireoperator.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the operator's HCL configuration file: upstream k8s-workload-registrar's keys unchanged,
 * plus this operator's own (docs/CONFIG.md). Unknown keys, bad values and contradictions are {@link
 * ConfigException}s with a one-line message naming the file, the key and the fix; problems that do
 * not stop loading are in {@link RegistrarConfig#warnings()}.
 */
public final class ConfigLoader {

  /** Upstream's default for the {@code -config} flag. */
  public static final Path DEFAULT_PATH = Path.of("k8s-workload-registrar.conf");

  private final Map<String, String> environment;

  /**
   * @param environment process environment; {@code POD_NAMESPACE} (or upstream's {@code
   *     MY_POD_NAMESPACE}) gives leader_election_namespace its default
   */
  public ConfigLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** A loader that sees no environment variables. */
  public static ConfigLoader withoutEnvironment() {
    return new ConfigLoader(Map.of());
  }

  /**
   * @throws ConfigException if the file cannot be read or its configuration is not usable
   */
  public RegistrarConfig load(Path file) {
    return load(file, ControllerManagerFlags.NONE);
  }

  /**
   * Reads the HCL file, or spire-controller-manager's configuration file ({@code kind:
   * ControllerManagerConfig}) with its command-line flags.
   *
   * @throws ConfigException if the file cannot be read, its configuration is not usable, or
   *     spire-controller-manager's flags are given with an HCL file
   */
  public RegistrarConfig load(Path file, ControllerManagerFlags flags) {
    String text = read(file);
    String source = file.toString();
    flags.check();
    if (ControllerManagerConfigReader.isControllerManagerConfig(text)) {
      return new ControllerManagerConfigReader(environment, flags, ConfigLoader::resolvConf)
          .read(text, source);
    }
    if (!flags.given().isEmpty()) {
      throw new ConfigException(
          source,
          "flag "
              + flags.given().get(0)
              + " is spire-controller-manager's and applies only with its configuration file"
              + " (kind: ControllerManagerConfig); this is an HCL file: remove the flag and use"
              + " the file's keys (docs/CONFIG.md)");
    }
    return parse(text, source);
  }

  private static String resolvConf() {
    try {
      return Files.readString(Path.of("/etc/resolv.conf"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String read(Path file) {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          source, "configuration file not found: create it, or pass its path with -config", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(
          source, "configuration file is not readable: check its permissions", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(
          source, "configuration file is not UTF-8 text: save it as UTF-8", e);
    } catch (IOException e) {
      if (Files.isDirectory(file)) {
        throw new ConfigException(
            source,
            "is a directory, not a configuration file: pass the file's path " + "with -config",
            e);
      }
      throw new ConfigException(
          source,
          "cannot read the configuration file ("
              + e.getMessage()
              + "): check the path and its permissions",
          e);
    }
    return text;
  }

  /**
   * @param hcl the configuration text
   * @param sourceName what error messages call the text, normally the file name
   * @throws ConfigException if the configuration is not usable
   */
  public RegistrarConfig parse(String hcl, String sourceName) {
    String text = hcl.startsWith("\uFEFF") ? hcl.substring(1) : hcl;
    Map<String, Object> tree = HclFile.parse(text, sourceName);
    return new ConfigReader(new HclBlock(sourceName, "", tree, KnownKeys.TOP_LEVEL), environment)
        .read();
  }
}
