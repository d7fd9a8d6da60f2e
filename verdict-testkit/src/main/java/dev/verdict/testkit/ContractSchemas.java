package dev.verdict.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates envelopes against the published JSON Schemas (resources {@code schemas/} of verdict-contract): the
 * envelope schema, then the payload schema of its event type and schema version.
 */
public final class ContractSchemas {

    private static final String BASE = "https://verdict.dev/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, "classpath:schemas/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private ContractSchemas() {
    }

    /** The schema of a payload, e.g. {@code payloads/AdvertiserBanned.v1.schema.json}; fails if there is none. */
    public static JsonSchema schema(String relativePath) {
        return SCHEMAS.computeIfAbsent(relativePath, path -> FACTORY.getSchema(SchemaLocation.of(BASE + path),
                CONFIG));
    }

    /** Every violation of the envelope schema and of its payload's schema; empty when the envelope is valid. */
    public static List<String> violations(JsonNode envelope) {
        List<String> violations = new ArrayList<>();
        schema("envelope.v1.schema.json").validate(envelope).stream().map(ValidationMessage::getMessage)
                .forEach(violations::add);
        String payloadSchema = "payloads/" + envelope.path("eventType").asText() + ".v"
                + envelope.path("schemaVersion").asInt() + ".schema.json";
        schema(payloadSchema).validate(envelope.path("payload")).stream()
                .map(message -> "payload: " + message.getMessage()).forEach(violations::add);
        return violations;
    }
}
