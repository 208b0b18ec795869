package org.spireoperator.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log_level}, {@code log_format} ({@code text} or {@code json}: one JSON object per
 * line with the structured fields pod/node/spiffeId/entryId) and {@code log_path} (a file instead
 * of stderr).
 */
public final class LoggingSetup {

  private LoggingSetup() {}

  public static void apply(String level, String format, String path) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    Encoder<ILoggingEvent> encoder;
    if ("json".equals(format)) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithThrowable(true);
      encoder = json;
    } else {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg %kvp%n%ex");
      encoder = text;
    }
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender;
    if (path == null || path.isEmpty()) {
      ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
      console.setTarget("System.err");
      appender = console;
    } else {
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setFile(path);
      file.setAppend(true);
      appender = file;
    }
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    root.setLevel(toLevel(level));
  }

  static Level toLevel(String level) {
    return switch (level == null ? "info" : level.toLowerCase()) {
      case "panic", "fatal", "error" -> Level.ERROR;
      case "warn", "warning" -> Level.WARN;
      case "debug" -> Level.DEBUG;
      case "trace" -> Level.TRACE;
      default -> Level.INFO;
    };
  }
}
