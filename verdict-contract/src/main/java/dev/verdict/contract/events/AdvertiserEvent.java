package dev.verdict.contract.events;

import java.time.Instant;

/**
 * The payload of every event Verdict publishes about an advertiser. Each record names its wire type and schema
 * version in {@link EventCatalog}; the advertiser and the sequence travel in the envelope, not in the payload.
 */
public sealed interface AdvertiserEvent
        permits AdvertiserRegistered, DecisionEvent, EvidenceAttached, DecisionReversed, SuspensionExpired, AppealFiled,
        AppealWithdrawn, AppealUpheld, AppealOverturned, AppealModified, NoteAdded {

    /**
     * The business time at which this fact takes effect, when it differs from the time it was recorded
     * (a decision's {@code effectiveFrom}); null means "when recorded".
     */
    default Instant businessTime() {
        return null;
    }
}
