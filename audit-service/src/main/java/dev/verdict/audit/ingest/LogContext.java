package dev.verdict.audit.ingest;

import org.slf4j.MDC;

/**
 * An event's correlation and trace in the logging context (MDC) while a line about it is written, so that structured
 * logs (VERDICT_LOG_FORMAT) carry {@code correlationId} and {@code traceId} and can be joined with the command that
 * caused the event in moderation-service's logs.
 */
final class LogContext implements AutoCloseable {

    static final String CORRELATION_ID = "correlationId";
    static final String TRACE_ID = "traceId";
    static final String EVENT_ID = "eventId";

    private LogContext() {
    }

    static LogContext of(IncomingEvent event) {
        put(CORRELATION_ID, event.correlationId());
        put(TRACE_ID, event.traceId());
        put(EVENT_ID, event.eventId().toString());
        return new LogContext();
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(CORRELATION_ID);
        MDC.remove(TRACE_ID);
        MDC.remove(EVENT_ID);
    }
}
