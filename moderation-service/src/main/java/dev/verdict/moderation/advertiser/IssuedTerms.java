package dev.verdict.moderation.advertiser;

import dev.verdict.contract.events.AppealModified;
import dev.verdict.contract.events.DecisionEvent;
import dev.verdict.contract.events.DecisionTerms;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * A decision's full terms, read back from the advertiser's own stream at the sequence number of the event that
 * issued it. The advertiser keeps in memory only what its rules decide on (see {@link Advertiser}); the one rule that
 * needs the whole terms, an appeal's MODIFIED ruling (the replacement keeps the original's rule, ground and
 * evidence), reads them here, in the command's own transaction. Stored events never change, so this is the same
 * value the advertiser would have kept.
 */
public final class IssuedTerms {

    private final EventStore store;

    public IssuedTerms(EventStore store) {
        this.store = store;
    }

    /**
     * @param sequence the sequence number of the event that issued the decision: a decision event, or the appeal
     *                 ruling whose replacement it is
     * @throws IllegalStateException if the stream holds no such decision there (the store was altered)
     */
    DecisionTerms of(String advertiserId, long sequence, String decisionId) {
        DomainEventStream stream = store.readEvents(advertiserId, sequence);
        if (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            Object payload = event.getPayload();
            if (event.getSequenceNumber() == sequence) {
                if (payload instanceof DecisionEvent issued && issued.decisionId().equals(decisionId)) {
                    return issued.terms();
                }
                if (payload instanceof AppealModified modified && modified.replacementDecisionId().equals(decisionId)) {
                    return modified.replacementTerms();
                }
            }
        }
        throw new IllegalStateException("advertiser " + advertiserId + " has no event issuing decision " + decisionId
                + " at sequence " + sequence);
    }
}
