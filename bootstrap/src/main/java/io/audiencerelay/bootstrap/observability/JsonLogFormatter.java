package io.audiencerelay.bootstrap.observability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code message}, and {@code
 * error} if any.
 */
final class JsonLogFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(160);
    line.append("{\"ts\":\"").append(Instant.ofEpochMilli(record.getMillis())).append('"');
    line.append(",\"level\":\"").append(levelName(record.getLevel())).append('"');
    line.append(",\"logger\":");
    quote(line, record.getLoggerName() == null ? "" : record.getLoggerName());
    line.append(",\"message\":");
    quote(line, formatMessage(record));
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(",\"error\":");
      quote(line, trace.toString());
    }
    return line.append("}\n").toString();
  }

  /** The SDK's (winston's) names, so one vocabulary serves logs and {@code /v1/log_level}. */
  static String levelName(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (value >= Level.WARNING.intValue()) {
      return "warn";
    }
    if (value >= Level.INFO.intValue()) {
      return "info";
    }
    if (value >= Level.CONFIG.intValue()) {
      return "http";
    }
    if (value >= Level.FINE.intValue()) {
      return "verbose";
    }
    if (value >= Level.FINER.intValue()) {
      return "debug";
    }
    return "silly";
  }

  static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
