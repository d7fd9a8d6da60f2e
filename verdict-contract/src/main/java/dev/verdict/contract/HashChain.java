package dev.verdict.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The per-advertiser hash chain. {@code integrity.hash} is the lowercase hex SHA-256 of the RFC 8785 (JSON
 * Canonicalization Scheme) UTF-8 form of the whole envelope with the member {@code integrity.hash} removed;
 * {@code integrity.prevHash} stays in and names the previous event's hash ({@link #GENESIS} for sequence 0).
 */
public final class HashChain {

    public static final String GENESIS = "0".repeat(64);

    private HashChain() {
    }

    /** Returns the envelope with {@code integrity = {prevHash, hash}} filled in. */
    public static Envelope seal(Envelope envelope, String prevHash) {
        Envelope unsealed = envelope.withIntegrity(new Envelope.Integrity(prevHash, null));
        return unsealed.withIntegrity(new Envelope.Integrity(prevHash, hash(EventJson.mapper().valueToTree(unsealed))));
    }

    /** The hash an envelope (as a JSON tree, in any key order) must carry. The argument is not modified. */
    public static String hash(JsonNode envelope) {
        ObjectNode copy = envelope.deepCopy();
        JsonNode integrity = copy.get("integrity");
        if (integrity instanceof ObjectNode integrityObject) {
            integrityObject.remove("hash");
        }
        return sha256Hex(canonicalize(copy));
    }

    /** RFC 8785 canonical UTF-8 bytes of a JSON tree. */
    public static byte[] canonicalize(JsonNode node) {
        try {
            return new JsonCanonicalizer(EventJson.mapper().writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical JSON text of an envelope, as it is published. */
    public static String canonicalText(Envelope envelope) {
        return canonicalTextOf(EventJson.mapper().valueToTree(envelope));
    }

    /** The canonical JSON text of any JSON tree. */
    public static String canonicalTextOf(JsonNode node) {
        return new String(canonicalize(node), StandardCharsets.UTF_8);
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
