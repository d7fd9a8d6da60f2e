package dev.verdict.contract;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks one advertiser's envelopes, fed in stored order: sequences contiguous from 0, each {@code prevHash} equal to
 * the previous {@code hash}, each {@code hash} equal to the recomputed one. Not thread-safe; one per advertiser.
 */
public final class ChainVerifier {

    private long expectedSequence;
    private String previousHash = HashChain.GENESIS;
    private long checked;
    private Long firstBrokenSequence;

    /** Feeds the next envelope; returns false once the chain is broken (it stays broken). */
    public boolean accept(JsonNode envelope) {
        checked++;
        if (firstBrokenSequence != null) {
            return false;
        }
        long sequence = envelope.path("sequence").asLong(-1);
        JsonNode integrity = envelope.path("integrity");
        boolean valid = sequence == expectedSequence
                && previousHash.equals(integrity.path("prevHash").asText(null))
                && HashChain.hash(envelope).equals(integrity.path("hash").asText(null));
        if (!valid) {
            firstBrokenSequence = expectedSequence;
            return false;
        }
        previousHash = integrity.path("hash").asText();
        expectedSequence++;
        return true;
    }

    /** Declares the end of the input; a caller that knows how many events there must be passes that count. */
    public boolean complete(long expectedEvents) {
        if (firstBrokenSequence == null && expectedSequence < expectedEvents) {
            firstBrokenSequence = expectedSequence;
        }
        return firstBrokenSequence == null;
    }

    public boolean valid() {
        return firstBrokenSequence == null;
    }

    public long checked() {
        return checked;
    }

    /** The sequence where the chain first broke, or null when it is valid. */
    public Long firstBrokenSequence() {
        return firstBrokenSequence;
    }
}
