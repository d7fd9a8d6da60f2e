package dev.verdict.moderation.provenance;

import dev.verdict.contract.Envelope;
import dev.verdict.servicekit.Principals;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.axonframework.messaging.MetaData;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The provenance of a command, taken from the authenticated request and never from its body: the principal and its
 * roles, the party acted for, the client, the W3C trace, the idempotency key and the correlation.
 */
@Component
public class CommandMetadata {

    /** A W3C traceparent: version, 32-hex trace id, 16-hex parent id, flags. */
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final Pattern CORRELATION_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    private static final int MAX_USER_AGENT = 512;

    private final ServiceIdentity identity;

    public CommandMetadata(ServiceIdentity identity) {
        this.identity = identity;
    }

    /** What a command knows about who sent it; {@code commandId} is also the causation of its events. */
    public record Issued(String commandId, MetaData metaData) {
    }

    public Issued of(HttpServletRequest request, Authentication principal, Envelope.Party onBehalfOf,
                     String idempotencyKey) {
        return of(request, principal, onBehalfOf, idempotencyKey, null);
    }

    /**
     * @param correlationId the correlation of what the command acts upon (the decision an appeal is against), which
     *                      then wins over the caller's X-Correlation-Id; null for a command that starts a correlation
     */
    public Issued of(HttpServletRequest request, Authentication principal, Envelope.Party onBehalfOf,
                     String idempotencyKey, String correlationId) {
        String commandId = UUID.randomUUID().toString();
        Map<String, Object> meta = new HashMap<>();
        meta.put(Provenance.ACTOR_ID, principal.getName());
        meta.put(Provenance.ACTOR_ROLES, roles(principal));
        meta.put(Provenance.ACTOR_TYPE, (Principals.isSystem(principal) ? Envelope.ActorType.SYSTEM
                : Envelope.ActorType.HUMAN).name());
        if (onBehalfOf != null) {
            meta.put(Provenance.ON_BEHALF_OF_ID, onBehalfOf.id());
            meta.put(Provenance.ON_BEHALF_OF_TYPE, onBehalfOf.type());
        }
        meta.put(Provenance.COMMAND_ID, commandId);
        if (idempotencyKey != null) {
            meta.put(Provenance.IDEMPOTENCY_KEY, idempotencyKey);
        }
        String requested = request.getHeader("X-Correlation-Id");
        meta.put(Provenance.CORRELATION_ID, correlationId != null ? correlationId
                : requested != null && CORRELATION_ID.matcher(requested).matches() ? requested : commandId);
        meta.put(Provenance.CAUSATION_ID, commandId);
        meta.put(Provenance.TRACE_ID, traceId(request.getHeader("traceparent")));
        meta.put(Provenance.CLIENT_IP, request.getRemoteAddr());
        String userAgent = request.getHeader("User-Agent");
        if (userAgent != null) {
            meta.put(Provenance.CLIENT_USER_AGENT, sanitize(userAgent));
        }
        meta.put(Provenance.SOURCE_SERVICE, identity.service());
        meta.put(Provenance.SOURCE_VERSION, identity.version());
        meta.put(Provenance.SOURCE_INSTANCE, identity.instance());
        return new Issued(commandId, MetaData.from(meta));
    }

    private static List<String> roles(Authentication principal) {
        return principal.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .sorted()
                .toList();
    }

    /** The caller's trace id when it sent a valid traceparent, otherwise a new one. */
    static String traceId(String traceparent) {
        if (traceparent != null) {
            var matcher = TRACEPARENT.matcher(traceparent.trim());
            if (matcher.matches() && !matcher.group(1).equals("0".repeat(32))) {
                return matcher.group(1);
            }
        }
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Control characters out, length capped: a header is the client's word, and it ends up in an audit record. */
    private static String sanitize(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "");
        return clean.length() > MAX_USER_AGENT ? clean.substring(0, MAX_USER_AGENT) : clean;
    }
}
