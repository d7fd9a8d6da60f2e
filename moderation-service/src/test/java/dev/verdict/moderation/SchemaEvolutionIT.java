package dev.verdict.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.contract.Envelope;
import dev.verdict.contract.EventJson;
import dev.verdict.contract.HashChain;
import dev.verdict.moderation.provenance.Provenance;
import dev.verdict.testkit.Api;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Version 2 of AppealFiled renamed {@code attachments} to {@code evidence}. An AppealFiled recorded by the code of
 * version 1 (written here into the store as that code wrote it) is still understood by the aggregate through the
 * contract's upcaster, and is still published exactly as it was recorded and hashed: version 1, with attachments.
 * New appeals are recorded and published as version 2.
 */
class SchemaEvolutionIT extends LiveModerationService {

    @org.springframework.beans.factory.annotation.Autowired
    org.axonframework.eventsourcing.eventstore.EventStore eventStore;

    @Test
    void aVersionOneEventIsReadUpcastByTheAggregateAndPublishedVerbatim() throws Exception {
        String advertiser = register("evo-" + UUID.randomUUID().toString().substring(0, 8));
        Api.Response banned = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions",
                ban("\"ADVERTISING\""));
        String decisionId = json(banned.body()).path("decisionId").asText();
        String appealId = UUID.randomUUID().toString();
        recordVersionOneAppeal(advertiser, decisionId, appealId);

        List<JsonNode> published = publishedEnvelopes(advertiser, 3);
        JsonNode old = published.get(2);
        assertThat(old.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(old.path("payload").has("attachments")).isTrue();
        assertThat(old.path("payload").has("evidence")).isFalse();

        var stored = new java.util.ArrayList<org.axonframework.eventhandling.DomainEventMessage<?>>();
        eventStore.readEvents(advertiser).forEachRemaining(stored::add);
        var upcast = (dev.verdict.contract.events.AppealFiled) stored.get(2).getPayload();
        assertThat(upcast.evidence()).as("read through the upcaster").hasSize(1);
        assertThat(upcast.evidence().get(0).description()).isEqualTo("attached the version 1 way");

        Api.Response withdrawn = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/appeals/" + appealId
                + "/withdrawal", "{}");
        assertThat(withdrawn.status()).as("the aggregate knows the version 1 appeal and its filer: %s",
                withdrawn.body()).isEqualTo(201);
        Api.Response refiled = api.post("moderator1", "/api/v1/advertisers/" + advertiser + "/decisions/"
                + decisionId + "/appeals", "{\"statement\": \"again, with evidence\"}");
        assertThat(refiled.status()).isEqualTo(201);

        List<JsonNode> all = publishedEnvelopes(advertiser, 5);
        JsonNode current = all.get(4);
        assertThat(current.path("eventType").asText()).isEqualTo("AppealFiled");
        assertThat(current.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(current.path("payload").has("evidence")).isTrue();
        assertThat(jdbc.queryForObject("SELECT payload_revision FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND sequence_number = 4", String.class, advertiser)).isEqualTo("2");
    }

    /** Appends AppealFiled as the version 1 code did: payload with "attachments", revision 1, sealed into the chain. */
    private void recordVersionOneAppeal(String advertiser, String decisionId, String appealId) throws Exception {
        JsonNode banMeta = EventJson.mapper().readTree(jdbc.queryForObject(
                "SELECT convert_from(meta_data, 'UTF8') FROM domain_event_entry WHERE aggregate_identifier = ? "
                        + "AND sequence_number = 1", String.class, advertiser));
        String eventId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String occurredAt = EventJson.formatTime(now);
        ObjectNode payload = EventJson.mapper().createObjectNode()
                .put("appealId", appealId).put("decisionId", decisionId).put("statement", "recorded by version 1");
        payload.putArray("attachments").addObject().put("uri", "urn:evidence:v1").put("sha256", "ef".repeat(32))
                .put("mediaType", "text/plain").put("description", "attached the version 1 way");
        payload.put("deadline", now.plusSeconds(86_400).toString());
        Envelope sealed = HashChain.seal(new Envelope(eventId, "AppealFiled", 1, advertiser, 2, occurredAt,
                occurredAt, new Envelope.Actor("moderator1", List.of("MODERATOR"), Envelope.ActorType.HUMAN), null,
                "cmd-v1", null, "corr-v1", "cmd-v1", new Envelope.Source("moderation-service", "0.0.9", "old"), null,
                "0af7651916cd43dd8448eb211c80319c", payload, null), banMeta.path(Provenance.HASH).asText());

        Map<String, Object> meta = new HashMap<>();
        meta.put(Provenance.ACTOR_ID, "moderator1");
        meta.put(Provenance.ACTOR_ROLES, List.of("MODERATOR"));
        meta.put(Provenance.ACTOR_TYPE, "HUMAN");
        meta.put(Provenance.COMMAND_ID, "cmd-v1");
        meta.put(Provenance.CORRELATION_ID, "corr-v1");
        meta.put(Provenance.CAUSATION_ID, "cmd-v1");
        meta.put(Provenance.TRACE_ID, "0af7651916cd43dd8448eb211c80319c");
        meta.put(Provenance.SOURCE_SERVICE, "moderation-service");
        meta.put(Provenance.SOURCE_VERSION, "0.0.9");
        meta.put(Provenance.SOURCE_INSTANCE, "old");
        meta.put(Provenance.EVENT_TYPE, "AppealFiled");
        meta.put(Provenance.SCHEMA_VERSION, 1);
        meta.put(Provenance.EFFECTIVE_AT, occurredAt);
        meta.put(Provenance.PREV_HASH, sealed.integrity().prevHash());
        meta.put(Provenance.HASH, sealed.integrity().hash());
        jdbc.update("""
                INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                    meta_data, payload, payload_revision, payload_type, time_stamp)
                VALUES (?, 2, 'Advertiser', ?, ?, ?, '1', 'dev.verdict.contract.events.AppealFiled', ?)""",
                advertiser, eventId, EventJson.write(meta).getBytes(StandardCharsets.UTF_8),
                EventJson.write(payload).getBytes(StandardCharsets.UTF_8), occurredAt);
    }
}
