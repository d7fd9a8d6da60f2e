package dev.verdict.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {

    /** Five sealed, chained envelopes of one advertiser, as JSON trees. */
    private static List<JsonNode> chain() {
        List<JsonNode> chain = new ArrayList<>();
        String prev = HashChain.GENESIS;
        for (int sequence = 0; sequence < 5; sequence++) {
            Envelope sealed = HashChain.seal(HashChainTest.sample(sequence, "Acme " + sequence), prev);
            chain.add(EventJson.mapper().valueToTree(sealed));
            prev = sealed.integrity().hash();
        }
        return chain;
    }

    private static Long firstBroken(List<JsonNode> envelopes, long expectedEvents) {
        ChainVerifier verifier = new ChainVerifier();
        envelopes.forEach(verifier::accept);
        verifier.complete(expectedEvents);
        return verifier.firstBrokenSequence();
    }

    @Test
    void anIntactChainIsValid() {
        ChainVerifier verifier = new ChainVerifier();
        chain().forEach(verifier::accept);

        assertThat(verifier.complete(5)).isTrue();
        assertThat(verifier.checked()).isEqualTo(5);
    }

    @Test
    void aChangedFieldBreaksTheChainAtThatEvent() {
        List<JsonNode> chain = chain();
        ((ObjectNode) chain.get(2).get("payload")).put("legalName", "Acme 2 (edited)");

        assertThat(firstBroken(chain, 5)).isEqualTo(2);
    }

    @Test
    void aDroppedEventBreaksTheChainWhereItWas() {
        List<JsonNode> chain = chain();
        chain.remove(3);

        assertThat(firstBroken(chain, 5)).isEqualTo(3);
    }

    @Test
    void aSwappedPairBreaksTheChainAtTheFirstOfThem() {
        List<JsonNode> chain = chain();
        Collections.swap(chain, 1, 2);

        assertThat(firstBroken(chain, 5)).isEqualTo(1);
    }

    @Test
    void anInsertedEventBreaksTheChainWhereItWasInserted() {
        List<JsonNode> chain = chain();
        JsonNode forged = chain.get(1).deepCopy();
        ((ObjectNode) forged.get("payload")).put("legalName", "forged");
        chain.add(2, forged);

        assertThat(firstBroken(chain, 6)).isEqualTo(2);
    }

    @Test
    void aTruncatedTailIsCaughtWhenTheExpectedCountIsKnown() {
        List<JsonNode> chain = chain().subList(0, 3);

        assertThat(firstBroken(chain, 5)).isEqualTo(3);
        assertThat(firstBroken(chain, 3)).isNull();
    }
}
