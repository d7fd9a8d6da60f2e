package dev.verdict.moderation.web;

import dev.verdict.moderation.provenance.CommandMetadata;
import dev.verdict.moderation.provenance.Provenance;
import org.slf4j.MDC;

/**
 * A command's correlation, trace and command id in the logging context (MDC) while it runs on this thread: structured
 * logs (VERDICT_LOG_FORMAT) then carry {@code correlationId} and {@code traceId}, the same values its events carry in
 * their envelopes, so a log line joins the audit history.
 */
final class LogContext implements AutoCloseable {

    private static final String[] KEYS = {Provenance.CORRELATION_ID, Provenance.TRACE_ID, Provenance.COMMAND_ID};

    private LogContext() {
    }

    static LogContext of(CommandMetadata.Issued issued) {
        for (String key : KEYS) {
            Object value = issued.metaData().get(key);
            if (value != null) {
                MDC.put(key, value.toString());
            }
        }
        return new LogContext();
    }

    @Override
    public void close() {
        for (String key : KEYS) {
            MDC.remove(key);
        }
    }
}
