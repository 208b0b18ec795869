package org.spireoperator.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks the files the configuration names before the operator starts with them: the log file and
 * the webhooks' certificates. Loading does not look at them ({@code plan} and {@code explain} do
 * not use them); a missing or unusable one is a configuration error all the same.
 */
public final class StartupFiles {

  private StartupFiles() {}

  /**
   * @param source what messages call the configuration, normally its file name
   * @throws ConfigException naming the first key whose file is not usable
   */
  public static void check(RegistrarConfig config, String source) {
    String logPath = config.observability().logPath();
    if (logPath != null) {
      requireWritable(source, "log_path", Path.of(logPath));
    }
    if (config.mode() == Mode.WEBHOOK) {
      AdmissionWebhook webhook = config.admissionWebhook();
      requireReadable(
          source, "cert_path", Path.of(webhook.certPath()), "the PEM server certificate");
      requireReadable(source, "key_path", Path.of(webhook.keyPath()), "the PEM server key");
      if (!webhook.insecureSkipClientVerification()) {
        requireReadable(
            source,
            "cacert_path",
            Path.of(webhook.cacertPath()),
            "the PEM CA certificate of the API server's client certificate");
      }
    }
    if (config.mode() == Mode.CRD && config.spiffeIdWebhook().enabled()) {
      Path dir = Path.of(config.spiffeIdWebhook().certDir());
      for (String name : new String[] {"tls.crt", "tls.key"}) {
        if (!Files.isRegularFile(dir.resolve(name)) || !Files.isReadable(dir.resolve(name))) {
          throw ConfigException.forKey(
              source,
              "webhook_cert_dir",
              "names " + HclBlock.describe(dir.toString()) + ", which holds no readable " + name,
              "put the webhook's serving certificate and key there as tls.crt and tls.key, or set "
                  + "it to the directory that holds them, e.g. "
                  + example("webhook_cert_dir"));
        }
      }
    }
  }

  private static void requireReadable(String source, String key, Path file, String what) {
    String problem =
        !Files.exists(file)
            ? "does not exist"
            : !Files.isRegularFile(file)
                ? "is not a file"
                : !Files.isReadable(file) ? "is not readable" : null;
    if (problem != null) {
      throw ConfigException.forKey(
          source,
          key,
          "names " + HclBlock.describe(file.toAbsolutePath().toString()) + ", which " + problem,
          "set it to " + what + ", e.g. " + example(key));
    }
  }

  private static void requireWritable(String source, String key, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        out.flush();
      }
    } catch (IOException | SecurityException e) {
      throw ConfigException.forKey(
          source,
          key,
          "names "
              + HclBlock.describe(file.toString())
              + ", which cannot be opened for writing ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")",
          "set it to a file the operator may write, or remove it to log to standard error");
    }
  }

  private static String example(String key) {
    return key + " = " + KnownKeys.TOP_LEVEL.get(key);
  }
}
