package dev.verdict.moderation.provenance;

import dev.verdict.contract.Envelope;
import dev.verdict.contract.HashChain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;

/**
 * Seals each event into its advertiser's hash chain at the moment it is appended, inside the command's transaction:
 * the order is authoritative there, because the event store's unique (advertiser, sequence) key lets only one writer
 * append sequence n. A concurrent writer that read the same previous hash loses that race and appends nothing, so
 * the chain stays linear across restarts, concurrent writers, retries and replays; the hash lives in the event's
 * metadata in the source of truth, and publishing only copies it. The previous hash comes from {@link ChainTips} when
 * this instance committed that event itself, else from the store.
 */
public class HashChainInterceptor implements MessageDispatchInterceptor<EventMessage<?>> {

    private final EventStore eventStore;
    private final ChainTips tips;

    public HashChainInterceptor(EventStore eventStore, ChainTips tips) {
        this.eventStore = eventStore;
        this.tips = tips;
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        Map<String, String> lastHashByAdvertiser = new HashMap<>();
        return (index, message) -> {
            if (!(message instanceof DomainEventMessage<?> event) || event.getMetaData().containsKey(Provenance.HASH)) {
                return message;
            }
            String advertiserId = event.getAggregateIdentifier();
            long previous = event.getSequenceNumber() - 1;
            String prevHash = lastHashByAdvertiser.get(advertiserId);
            if (prevHash == null) {
                prevHash = tips.hashAt(advertiserId, previous).orElseGet(() -> storedHash(advertiserId, previous));
            }
            Envelope sealed = HashChain.seal(EnvelopeFactory.sealable(event), prevHash);
            lastHashByAdvertiser.put(advertiserId, sealed.integrity().hash());
            tips.rememberOnCommit(advertiserId, event.getSequenceNumber(), sealed.integrity().hash());
            return event.andMetaData(EnvelopeFactory.pinned(sealed));
        };
    }

    private String storedHash(String advertiserId, long sequence) {
        if (sequence < 0) {
            return HashChain.GENESIS;
        }
        DomainEventStream stream = eventStore.readEvents(advertiserId, sequence);
        if (!stream.hasNext()) {
            throw new IllegalStateException("event " + sequence + " of advertiser " + advertiserId + " is missing");
        }
        DomainEventMessage<?> previous = stream.next();
        Object hash = previous.getMetaData().get(Provenance.HASH);
        if (previous.getSequenceNumber() != sequence || hash == null) {
            throw new IllegalStateException("event " + sequence + " of advertiser " + advertiserId
                    + " has no hash: the chain cannot be continued");
        }
        return hash.toString();
    }
}
