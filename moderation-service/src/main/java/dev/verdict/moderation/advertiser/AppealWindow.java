package dev.verdict.moderation.advertiser;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * How long after a decision takes effect it can be appealed. Six months by default, configurable, never shorter:
 * a shorter window is refused at start-up.
 */
public record AppealWindow(Period length) {

    public static final Period MINIMUM = Period.ofMonths(6);

    public AppealWindow {
        if (length == null || length.isNegative()
                || Instant.EPOCH.atZone(ZoneOffset.UTC).plus(length).isBefore(Instant.EPOCH.atZone(ZoneOffset.UTC).plus(MINIMUM))) {
            throw new IllegalArgumentException("the appeal window must be at least " + MINIMUM + ", was " + length);
        }
    }

    public static AppealWindow standard() {
        return new AppealWindow(MINIMUM);
    }

    /** The last instant at which an appeal against a decision effective from {@code effectiveFrom} is accepted. */
    public Instant closesAt(Instant effectiveFrom) {
        return effectiveFrom.atZone(ZoneOffset.UTC).plus(length).toInstant();
    }
}
