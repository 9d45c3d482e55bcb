package dev.sluice.common;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One JSON object per log line: timestamp, level, logger, thread, message, the MDC (an import's
 * {@code jobId}, …) and the stack trace if any. For log collectors in production.
 */
public class JsonLogFormatter extends ExtFormatter {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    @Override
    public String format(ExtLogRecord r) {
        StringBuilder sb = new StringBuilder(256).append('{');
        field(sb, "timestamp", Instant.ofEpochMilli(r.getMillis()).toString()).append(',');
        field(sb, "level", r.getLevel().getName()).append(',');
        field(sb, "logger", r.getLoggerName()).append(',');
        field(sb, "thread", r.getThreadName()).append(',');
        field(sb, "message", formatMessage(r));
        Map<String, String> mdc = new TreeMap<>(r.getMdcCopy());
        mdc.forEach((k, v) -> {
            sb.append(',');
            field(sb, k, v);
        });
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append(',');
            field(sb, "exception", r.getThrown().toString()).append(',');
            field(sb, "stackTrace", trace.toString());
        }
        return sb.append("}\n").toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(ENCODER.quoteAsString(name)).append("\":");
        if (value == null) return sb.append("null");
        return sb.append('"').append(ENCODER.quoteAsString(value)).append('"');
    }
}
