package dev.verdict.servicekit;

import java.time.Instant;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Requests mean what they say. {@code allow-coercion-of-scalars: false} stops "true" becoming a boolean and "12" a
 * number, but not the other way round, and a number is still read as an instant (seconds since 1970). The
 * hostile-input suite found both: {@code "reason": 1e308} stored as the text "1.0E308", and
 * {@code "effectiveFrom": 1e308} accepted as a time. A text field takes only a JSON string, and a time only a
 * string in ISO 8601.
 */
public final class StrictJson {

    private StrictJson() {
    }

    public static JsonMapperBuilderCustomizer customizer() {
        SimpleModule strictTime = new SimpleModule("verdict-strict-time");
        strictTime.addDeserializer(Instant.class, new TimeAsTextOnly());
        return builder -> builder
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(strictTime);
    }

    /** An instant from an ISO 8601 string, and from nothing else. */
    private static final class TimeAsTextOnly extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }
}
