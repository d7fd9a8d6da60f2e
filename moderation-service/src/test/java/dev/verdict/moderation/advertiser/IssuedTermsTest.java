package dev.verdict.moderation.advertiser;

import static dev.verdict.moderation.advertiser.AdvertiserTest.terms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AdvertiserRegistered;
import dev.verdict.contract.events.AdvertiserWarned;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.AppealModified;
import java.time.Instant;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

/** The terms of a decision are found only at the sequence number of the event that issued it, under its own id. */
class IssuedTermsTest {

    private static final String ADVERTISER = "acme";
    private static final DecisionTerms WARNED = terms(Instant.parse("2026-11-20T10:00:00Z"), null);
    private static final DecisionTerms REPLACED = terms(Instant.parse("2026-11-21T10:00:00Z"), null);

    @Test
    void readsTheTermsOfTheEventThatIssuedTheDecision() {
        EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        store.publish(event(0, new AdvertiserRegistered(ADVERTISER, "Acme", "DE", AccountType.BUSINESS)),
                event(1, new AdvertiserWarned("w1", WARNED)),
                event(2, new AppealModified("a1", "w1", "narrower", "w2", DecisionKind.WARNING, REPLACED)));
        IssuedTerms issued = new IssuedTerms(store);

        assertThat(issued.of(ADVERTISER, 1, "w1")).isEqualTo(WARNED);
        assertThat(issued.of(ADVERTISER, 2, "w2")).isEqualTo(REPLACED);
        // anything else means the stream is not the one the advertiser was built from: refuse, never guess
        assertThatThrownBy(() -> issued.of(ADVERTISER, 2, "w1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> issued.of(ADVERTISER, 0, "w1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> issued.of(ADVERTISER, 3, "w1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> issued.of("someone-else", 1, "w1")).isInstanceOf(IllegalStateException.class);
        store.shutDown();
    }

    private static GenericDomainEventMessage<Object> event(long sequence, Object payload) {
        return new GenericDomainEventMessage<>("Advertiser", ADVERTISER, sequence, payload);
    }
}
