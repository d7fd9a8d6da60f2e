package dev.verdict.servicekit;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The instants Verdict accepts wherever a time comes from outside (a request's body or query): ISO 8601's years that
 * need no agreement between the parties, 1583 to 9999. Within them every part of the
 * stack agrees on what a time means: a four-digit year, as RFC 3339 writes it; the Gregorian calendar, which
 * PostgreSQL uses for all dates and {@code java.sql.Timestamp} only from 1582-10-15 (an earlier time would be stored
 * shifted by days); a value PostgreSQL's {@code timestamptz} holds. A time outside them is refused as bad input,
 * never left to fail in the database.
 */
public final class Instants {

    public static final Instant EARLIEST = Instant.parse("1583-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /**
     * The first instant stored as it is: 4713-01-01 BC (year -4712 as ISO 8601 counts). PostgreSQL's {@code timestamptz}
     * starts at 4714-11-24 BC, but PgJDBC sends any earlier {@code OffsetDateTime} than this one as {@code -infinity}.
     */
    public static final Instant STORABLE_FROM = Instant.parse("-4712-01-01T00:00:00Z");
    /** The first instant after the last one PostgreSQL's {@code timestamptz} holds. */
    public static final Instant STORABLE_UNTIL = Instant.parse("+294277-01-01T00:00:00Z");
    /** For messages: what is accepted. */
    public static final String RANGE = "an ISO-8601 UTC time from 1583-01-01T00:00:00Z to 9999-12-31T23:59:59Z";

    private Instants() {
    }

    /**
     * Whether PostgreSQL's {@code timestamptz} holds the instant (to the microsecond). An event already recorded keeps
     * its times as they are if they can be stored at all: what comes in is held to {@link #accepted}, what was
     * recorded is kept.
     */
    public static boolean storable(Instant instant) {
        return !instant.isBefore(STORABLE_FROM) && instant.isBefore(STORABLE_UNTIL);
    }

    public static boolean accepted(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** An ISO-8601 UTC time ({@link Instant#parse}) within the accepted years; {@link DateTimeParseException} if not. */
    public static Instant parse(CharSequence text) {
        Instant instant = Instant.parse(text);
        if (!accepted(instant)) {
            throw new DateTimeParseException("outside the years 1583 to 9999", text, 0);
        }
        return instant;
    }

    /**
     * A query parameter that names a time: null when absent, else {@link #parse}d; anything else is a 400
     * {@code validation-failed} naming the parameter.
     */
    public static Instant parameter(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("validation-failed", name + " must be " + RANGE
                    + ", such as 2026-01-31T12:00:00Z");
        }
    }
}
