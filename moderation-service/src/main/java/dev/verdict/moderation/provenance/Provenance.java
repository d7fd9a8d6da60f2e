package dev.verdict.moderation.provenance;

/**
 * Keys of the provenance that travels as Axon metadata from a command to every event it causes, and from the event
 * store into the published envelope. Filled by {@link CommandMetadata} from the authenticated request, copied onto
 * events by {@link ProvenanceCorrelation}, sealed by {@link HashChainInterceptor}; never by an event handler.
 */
public final class Provenance {

    public static final String ACTOR_ID = "actorId";
    public static final String ACTOR_ROLES = "actorRoles";
    public static final String ACTOR_TYPE = "actorType";
    public static final String ON_BEHALF_OF_ID = "onBehalfOfId";
    public static final String ON_BEHALF_OF_TYPE = "onBehalfOfType";
    public static final String COMMAND_ID = "commandId";
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String CORRELATION_ID = "correlationId";
    public static final String CAUSATION_ID = "causationId";
    public static final String TRACE_ID = "traceId";
    public static final String CLIENT_IP = "clientIp";
    public static final String CLIENT_USER_AGENT = "clientUserAgent";
    public static final String SOURCE_SERVICE = "sourceService";
    public static final String SOURCE_VERSION = "sourceVersion";
    public static final String SOURCE_INSTANCE = "sourceInstance";
    public static final String EVENT_TYPE = "eventType";
    public static final String SCHEMA_VERSION = "schemaVersion";
    public static final String EFFECTIVE_AT = "effectiveAt";
    public static final String PREV_HASH = "prevHash";
    public static final String HASH = "hash";

    /** The keys a command hands down to its events (everything but the integrity, which is per event). */
    static final String[] INHERITED = {
            ACTOR_ID, ACTOR_ROLES, ACTOR_TYPE, ON_BEHALF_OF_ID, ON_BEHALF_OF_TYPE, COMMAND_ID, IDEMPOTENCY_KEY,
            CORRELATION_ID, CAUSATION_ID, TRACE_ID, CLIENT_IP, CLIENT_USER_AGENT, SOURCE_SERVICE, SOURCE_VERSION,
            SOURCE_INSTANCE};

    private Provenance() {
    }
}
