package dev.sluice.common;

import java.util.UUID;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * Log lines about one import, with its id in the record's MDC ({@code "jobId"} in JSON logs).
 * Put on the record itself: a thread- or context-bound MDC doesn't follow reactive callbacks reliably.
 */
public final class JobLog {
    private final Logger logger;

    public JobLog(Class<?> owner) {
        this.logger = Logger.getLogger(owner.getName());
    }

    public void info(UUID job, String format, Object... args) {
        log(org.jboss.logmanager.Level.INFO, job, null, format, args);
    }

    public void warn(UUID job, String format, Object... args) {
        log(org.jboss.logmanager.Level.WARN, job, null, format, args);
    }

    public void error(UUID job, Throwable e, String format, Object... args) {
        log(org.jboss.logmanager.Level.ERROR, job, e, format, args);
    }

    private void log(Level level, UUID job, Throwable e, String format, Object... args) {
        if (!logger.isLoggable(level)) return;
        ExtLogRecord r = new ExtLogRecord(level, format, ExtLogRecord.FormatStyle.PRINTF, JobLog.class.getName());
        r.setParameters(args);
        r.setLoggerName(logger.getName());
        r.setThrown(e);
        r.copyMdc();
        r.putMdc("jobId", job.toString());
        logger.log(r);
    }
}
