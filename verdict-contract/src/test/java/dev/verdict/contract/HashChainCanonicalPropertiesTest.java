package dev.verdict.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link HashChain#canonical} is a faster route to what {@link HashChain#canonicalTextOf} and {@link HashChain#hash}
 * give; it must give exactly that for any tree, not only for envelopes: keys that sort just before and after
 * {@code integrity}, keys beyond ASCII, an {@code integrity} that is missing, not an object, or has members besides
 * {@code prevHash} and {@code hash}, and nested objects that have an {@code integrity} of their own.
 */
class HashChainCanonicalPropertiesTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> KEYS = List.of("a", "i", "in", "integrit", "integrity", "integrity0",
            "integrityA", "Integrity", "integrität", "intf", "payload", "prevHash", "hash", "z", "é", "€", "😀", "");

    @Property(tries = 500)
    void givesTheTextAndTheHashOfTheSlowRoute(@ForAll("trees") ObjectNode tree) {
        ObjectNode before = tree.deepCopy();

        HashChain.Canonical canonical = HashChain.canonical(tree);

        assertThat(canonical.text()).isEqualTo(HashChain.canonicalTextOf(tree));
        assertThat(canonical.hash()).isEqualTo(HashChain.hash(tree));
        assertThat(tree).isEqualTo(before);
    }

    @Example
    void agreesOnASealedEnvelope() {
        Envelope sealed = HashChain.seal(HashChainTest.sample(3, "Acme \u00c9tudes \"Ads\" \\ Ltd"), "1".repeat(64));
        JsonNode tree = EventJson.mapper().valueToTree(sealed);

        HashChain.Canonical canonical = HashChain.canonical(tree);

        assertThat(canonical.hash()).isEqualTo(sealed.integrity().hash());
        assertThat(canonical.text()).isEqualTo(HashChain.canonicalText(sealed))
                .contains("\"integrity\":{\"hash\":\"" + sealed.integrity().hash() + "\",\"prevHash\":\"");
    }

    @Provide
    Arbitrary<ObjectNode> trees() {
        Arbitrary<Map<String, JsonNode>> members = Arbitraries.maps(keys(), values(3)).ofMaxSize(10);
        Arbitrary<JsonNode> integrity = Arbitraries.oneOf(
                Arbitraries.just(null),
                scalars(),
                Combinators.combine(hex().injectNull(0.3), hex().injectNull(0.3),
                                Arbitraries.maps(keys(), values(1)).ofMaxSize(2))
                        .as((hash, prevHash, extra) -> {
                            ObjectNode node = NODES.objectNode();
                            extra.forEach(node::set);
                            if (hash != null) {
                                node.put("hash", hash);
                            }
                            if (prevHash != null) {
                                node.put("prevHash", prevHash);
                            }
                            return node;
                        }));
        return Combinators.combine(members, integrity).as((fields, integrityValue) -> {
            ObjectNode tree = NODES.objectNode();
            fields.forEach(tree::set);
            if (integrityValue != null) {
                tree.set("integrity", integrityValue);
            } else {
                tree.remove("integrity");
            }
            return tree;
        });
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.of(KEYS), text());
    }

    private static Arbitrary<String> hex() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars("€ł\u2028").ofMaxLength(12),
                Arbitraries.of("😀", "a\"b\\c", "tab\there", "\u0000\u001f"));
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                text().map(NODES::textNode),
                Arbitraries.longs().map(v -> NODES.numberNode((long) v)),
                Arbitraries.doubles().between(-1e21, 1e21).map(v -> NODES.numberNode((double) v)),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
    }

    private static Arbitrary<JsonNode> values(int depth) {
        if (depth == 0) {
            return scalars();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalars()),
                Tuple.of(1, Arbitraries.maps(keys(), values(depth - 1)).ofMaxSize(4).map(fields -> {
                    ObjectNode node = NODES.objectNode();
                    fields.forEach(node::set);
                    return node;
                })),
                Tuple.of(1, values(depth - 1).list().ofMaxSize(4).map(items -> {
                    ArrayNode node = NODES.arrayNode();
                    items.forEach(node::add);
                    return node;
                })));
    }
}
