package dev.verdict.moderation.web;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.moderation.idempotency.IdempotencyInterceptor;
import dev.verdict.moderation.idempotency.IdempotencyRecords;
import dev.verdict.moderation.provenance.CommandMetadata;
import dev.verdict.servicekit.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.WebUtils;

/**
 * Executes a command for an HTTP request: its provenance from the request, Idempotency-Key handling, the rejection
 * the handler threw surfaced as is, and the answer every command gives (the ids created, the advertiser's new
 * version, also as ETag). A repeated request with the same key and body gets the first answer with 200 and records
 * nothing; the same key with another body gets 422. While the command runs, its correlation id, trace id and command
 * id are in the logging context (MDC), so every line logged on its behalf carries them.
 */
@Component
public class Commands {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Commands.class);

    private final CommandGateway gateway;
    private final CommandMetadata metadata;
    private final IdempotencyRecords idempotency;

    public Commands(CommandGateway gateway, CommandMetadata metadata, IdempotencyRecords idempotency) {
        this.gateway = gateway;
        this.metadata = metadata;
        this.idempotency = idempotency;
    }

    /**
     * Where the answer points and what it names besides the advertiser, its version and the command id; and the
     * correlation the command belongs to (that of the decision it acts upon), or null when it starts its own.
     */
    public record Answer(String location, Map<String, Object> ids, String correlationId) {
        public Answer(String location, Map<String, Object> ids) {
            this(location, ids, null);
        }
    }

    /** The Idempotency-Key of a command and the hash of the request it belongs to; both null without a key. */
    public record Idempotency(String key, String requestHash) {

        public static Idempotency of(HttpServletRequest http) {
            String key = CommandHeaders.idempotencyKey(http.getHeader("Idempotency-Key"));
            return key == null ? new Idempotency(null, null) : new Idempotency(key, Commands.requestHash(http));
        }

        /** One item of a bulk request: its own key and hash, derived from the request's. */
        public Idempotency item(String itemId) {
            return key == null ? this : new Idempotency(key + ":" + itemId, sha256(requestHash + "\n" + itemId));
        }
    }

    public ResponseEntity<Map<String, Object>> execute(Object command, String advertiserId, Answer answer,
                                                       Envelope.Party onBehalfOf, HttpServletRequest http,
                                                       Authentication principal) {
        return execute(command, advertiserId, answer, onBehalfOf, http, principal, Idempotency.of(http));
    }

    public ResponseEntity<Map<String, Object>> execute(Object command, String advertiserId, Answer answer,
                                                       Envelope.Party onBehalfOf, HttpServletRequest http,
                                                       Authentication principal, Idempotency idempotent) {
        String key = idempotent.key();
        String requestHash = idempotent.requestHash();
        CommandMetadata.Issued issued = metadata.of(http, principal, onBehalfOf, key, answer.correlationId());
        try (var context = LogContext.of(issued)) {
            ResponseEntity<Map<String, Object>> response = execute(command, advertiserId, answer, principal, key,
                    requestHash, issued);
            log.debug("{} for advertiser {} by {}: {}", command.getClass().getSimpleName(), advertiserId,
                    principal.getName(), response.getStatusCode().value());
            return response;
        }
    }

    private ResponseEntity<Map<String, Object>> execute(Object command, String advertiserId, Answer answer,
                                                        Authentication principal, String key, String requestHash,
                                                        CommandMetadata.Issued issued) {
        Map<String, Object> body = new LinkedHashMap<>(answer.ids());
        body.put("advertiserId", advertiserId);
        body.put("commandId", issued.commandId());
        MetaData meta = issued.metaData();
        if (key != null) {
            var prior = idempotency.find(principal.getName(), key);
            if (prior.isPresent()) {
                return replay(prior.get(), requestHash);
            }
            meta = meta.and(IdempotencyInterceptor.REQUEST_HASH, requestHash)
                    .and(IdempotencyInterceptor.RESPONSE, EventJson.write(body))
                    .and(IdempotencyInterceptor.LOCATION, answer.location());
        }
        Object result;
        try {
            result = send(command, meta);
        } catch (IdempotencyInterceptor.AlreadyAnswered e) {
            return replay(idempotency.find(principal.getName(), key).orElseThrow(), requestHash);
        }
        long version = result instanceof Number number ? number.longValue() : 0L;
        body.put("version", version);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create(answer.location()))
                .eTag("\"" + version + "\"").body(body);
    }

    /**
     * Sends the command and waits. A command that lost a race for its advertiser's next sequence number (another
     * moderation instance appended between this command's read and its append) rolled back completely and is run
     * again on the stored history, where its rules are checked anew; after {@value #ATTEMPTS} attempts the conflict
     * is the answer (409).
     */
    private Object send(Object command, MetaData metaData) {
        for (int attempt = 1; ; attempt++) {
            try {
                return sendOnce(command, metaData);
            } catch (ConcurrencyException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("{} lost a race for its advertiser (attempt {}): {}", command.getClass().getSimpleName(),
                        attempt, e.getMessage());
            }
        }
    }

    static final int ATTEMPTS = 3;

    private Object sendOnce(Object command, MetaData metaData) {
        try {
            return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).withMetaData(metaData));
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static ResponseEntity<Map<String, Object>> replay(IdempotencyRecords.Stored prior, String requestHash) {
        if (!prior.requestHash().equals(requestHash)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                    "this Idempotency-Key was used for a different request; use a new key for a new request");
        }
        try {
            Map<String, Object> body = EventJson.mapper().readValue(prior.response(), MAP);
            return ResponseEntity.ok().location(URI.create(prior.location()))
                    .eTag("\"" + body.get("version") + "\"").body(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What makes two requests the same: method, path and body bytes. */
    private static String requestHash(HttpServletRequest http) {
        ContentCachingRequestWrapper cached = WebUtils.getNativeRequest(http, ContentCachingRequestWrapper.class);
        byte[] content = cached == null ? new byte[0] : cached.getContentAsByteArray();
        byte[] head = (http.getMethod() + " " + http.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + content.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        return sha256(all);
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
