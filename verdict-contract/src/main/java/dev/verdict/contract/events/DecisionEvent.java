package dev.verdict.contract.events;

import java.time.Instant;

/** An enforcement decision was taken: one event type per kind, all carrying the same {@link DecisionTerms}. */
public sealed interface DecisionEvent extends AdvertiserEvent
        permits AdvertiserBanned, AdvertiserSuspended, AdvertiserRestricted, AdvertiserWarned {

    String decisionId();

    DecisionTerms terms();

    DecisionKind kind();

    @Override
    default Instant businessTime() {
        return terms().effectiveFrom();
    }

    /** The event that records a decision of the given kind. */
    static DecisionEvent of(DecisionKind kind, String decisionId, DecisionTerms terms) {
        return switch (kind) {
            case BAN -> new AdvertiserBanned(decisionId, terms);
            case SUSPENSION -> new AdvertiserSuspended(decisionId, terms);
            case RESTRICTION -> new AdvertiserRestricted(decisionId, terms);
            case WARNING -> new AdvertiserWarned(decisionId, terms);
        };
    }
}
