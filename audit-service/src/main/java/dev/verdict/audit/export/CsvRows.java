package dev.verdict.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One flat RFC 4180 row per event; a field with a comma, quote or line break is quoted, quotes doubled. */
final class CsvRows {

    static final String HEADER = "eventId,eventType,schemaVersion,advertiserId,sequence,occurredAt,effectiveAt,"
            + "actorId,actorType,actorRoles,onBehalfOf,commandId,correlationId,causationId,decisionId,policyId,"
            + "prevHash,hash\r\n";

    private CsvRows() {
    }

    static String row(JsonNode envelope) {
        JsonNode payload = envelope.path("payload");
        JsonNode terms = payload.has("terms") ? payload.path("terms") : payload.path("replacementTerms");
        List<String> roles = new ArrayList<>();
        envelope.path("actor").path("roles").forEach(role -> roles.add(role.asText()));
        List<String> fields = List.of(
                text(envelope, "eventId"), text(envelope, "eventType"), text(envelope, "schemaVersion"),
                text(envelope, "advertiserId"), text(envelope, "sequence"), text(envelope, "occurredAt"),
                text(envelope, "effectiveAt"), text(envelope.path("actor"), "id"),
                text(envelope.path("actor"), "type"), String.join(" ", roles), text(envelope.path("onBehalfOf"), "id"),
                text(envelope, "commandId"), text(envelope, "correlationId"), text(envelope, "causationId"),
                text(payload, "decisionId"), text(terms.path("policy"), "id"),
                text(envelope.path("integrity"), "prevHash"), text(envelope.path("integrity"), "hash"));
        StringBuilder row = new StringBuilder(256);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                row.append(',');
            }
            row.append(escape(fields.get(i)));
        }
        return row.append("\r\n").toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    static String escape(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
