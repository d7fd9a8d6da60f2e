package dev.verdict.audit.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.verdict.contract.EventJson;
import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Instants;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/advertisers/{id}/state?asOf=T&knownAt=K}: see {@link AdvertiserState}. */
@RestController
class StateController {

    private static final Pattern ADVERTISER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final JdbcTemplate jdbc;
    private final Clock clock = Clock.systemUTC();

    StateController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/advertisers/{advertiserId}/state")
    AdvertiserState.State state(@PathVariable String advertiserId, @RequestParam(required = false) String asOf,
                                @RequestParam(required = false) String knownAt) {
        if (!ADVERTISER_ID.matcher(advertiserId).matches()) {
            throw ApiException.notFound("advertiser-not-found", "no advertiser with that id");
        }
        Instant now = clock.instant();
        Instant businessTime = instant("asOf", asOf, now);
        Instant recordedTime = instant("knownAt", knownAt, now);
        List<com.fasterxml.jackson.databind.JsonNode> envelopes = jdbc.query("""
                SELECT envelope FROM audit_event WHERE advertiser_id = ? AND occurred_at <= ?
                ORDER BY sequence, event_id""", (rs, n) -> {
            try {
                return EventJson.mapper().readTree(rs.getString(1));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }, advertiserId, Timestamp.from(recordedTime));
        if (envelopes.isEmpty()) {
            throw ApiException.notFound("advertiser-not-found", "no events of advertiser " + advertiserId
                    + " were recorded by " + recordedTime);
        }
        return AdvertiserState.fold(advertiserId, envelopes, businessTime, recordedTime);
    }

    private static Instant instant(String name, String value, Instant fallback) {
        return value == null ? fallback : Instants.parameter(name, value);
    }
}
