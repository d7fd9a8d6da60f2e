package dev.verdict.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The per-advertiser hash chain. {@code integrity.hash} is the lowercase hex SHA-256 of the RFC 8785 (JSON
 * Canonicalization Scheme) UTF-8 form of the whole envelope with the member {@code integrity.hash} removed;
 * {@code integrity.prevHash} stays in and names the previous event's hash ({@link #GENESIS} for sequence 0).
 */
public final class HashChain {

    public static final String GENESIS = "0".repeat(64);

    private static final String INTEGRITY = "integrity";

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
        JsonNode integrity = copy.get(INTEGRITY);
        if (integrity instanceof ObjectNode integrityObject) {
            integrityObject.remove("hash");
        }
        return sha256Hex(canonicalize(copy));
    }

    /**
     * An envelope's canonical text (what is published) and the hash its content must carry (what {@link #hash} gives),
     * from one canonicalization instead of two. The result equals {@code canonicalTextOf(envelope)} and
     * {@code hash(envelope)}. RFC 8785 writes an object's members in key order, so the canonical text is the members
     * before {@code integrity}, then {@code integrity}, then the members after it, each part canonicalized on its own;
     * the two results differ only in {@code integrity}'s value, with or without its {@code hash}. The argument is not
     * modified.
     */
    public static Canonical canonical(JsonNode envelope) {
        if (!(envelope instanceof ObjectNode object) || !(object.get(INTEGRITY) instanceof ObjectNode integrity)) {
            return new Canonical(canonicalTextOf(envelope), hash(envelope));
        }
        ObjectNode before = object.objectNode();
        ObjectNode after = object.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> members = object.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            // RFC 8785 orders keys by their UTF-16 code units, as String.compareTo does.
            int order = member.getKey().compareTo(INTEGRITY);
            if (order < 0) {
                before.set(member.getKey(), member.getValue());
            } else if (order > 0) {
                after.set(member.getKey(), member.getValue());
            }
        }
        ObjectNode unhashed = integrity.deepCopy();
        unhashed.remove("hash");
        String head = "{" + (before.isEmpty() ? "" : members(before) + ",") + "\"" + INTEGRITY + "\":";
        String tail = (after.isEmpty() ? "" : "," + members(after)) + "}";
        String text = head + canonicalTextOf(integrity) + tail;
        byte[] hashed = (head + canonicalTextOf(unhashed) + tail).getBytes(StandardCharsets.UTF_8);
        return new Canonical(text, sha256Hex(hashed));
    }

    /** An envelope's canonical text, as published, and the hash its content must carry. */
    public record Canonical(String text, String hash) {
    }

    /** The canonical members of a non-empty object, comma-separated, without its braces. */
    private static String members(ObjectNode object) {
        String text = canonicalTextOf(object);
        return text.substring(1, text.length() - 1);
    }

    /** RFC 8785 canonical UTF-8 bytes of a JSON tree. */
    public static byte[] canonicalize(JsonNode node) {
        return canonicalTextOf(node).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical JSON text of an envelope, as it is published. */
    public static String canonicalText(Envelope envelope) {
        return canonicalTextOf(EventJson.mapper().valueToTree(envelope));
    }

    /** The canonical JSON text of any JSON tree. */
    public static String canonicalTextOf(JsonNode node) {
        try {
            return new JsonCanonicalizer(EventJson.mapper().writeValueAsString(node)).getEncodedString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
