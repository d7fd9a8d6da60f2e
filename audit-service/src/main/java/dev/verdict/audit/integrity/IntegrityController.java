package dev.verdict.audit.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.verdict.contract.ChainVerifier;
import dev.verdict.contract.EventJson;
import dev.verdict.servicekit.ApiException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recomputes an advertiser's hash chain from the envelopes as stored (as published), streaming them in sequence
 * order: a changed, dropped, reordered or inserted event shows as the first broken sequence.
 */
@RestController
class IntegrityController {

    private static final Pattern ADVERTISER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The outcome of a check; {@code firstBrokenSequence} is null when the chain is valid. */
    record Integrity(String advertiserId, boolean valid, long events, Long firstBrokenSequence) {
    }

    private final JdbcTemplate jdbc;

    IntegrityController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/advertisers/{advertiserId}/integrity")
    Integrity check(@PathVariable String advertiserId) {
        if (!ADVERTISER_ID.matcher(advertiserId).matches()) {
            throw ApiException.notFound("advertiser-not-found", "no advertiser with that id");
        }
        ChainVerifier verifier = new ChainVerifier();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT envelope FROM audit_event WHERE advertiser_id = ? ORDER BY sequence, event_id");
            statement.setFetchSize(1000);
            statement.setString(1, advertiserId);
            return statement;
        }, rs -> {
            try {
                verifier.accept(EventJson.mapper().readTree(rs.getString(1)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (verifier.checked() == 0) {
            throw ApiException.notFound("advertiser-not-found", "no events of advertiser " + advertiserId);
        }
        boolean valid = verifier.complete(verifier.checked());
        return new Integrity(advertiserId, valid, verifier.checked(), verifier.firstBrokenSequence());
    }
}
