package dev.verdict.audit.history;

import dev.verdict.servicekit.ApiException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * An advertiser's history, and the search across advertisers: events with full provenance, each item the envelope
 * exactly as published (the same bytes as on the topic).
 */
@RestController
class HistoryController {

    private static final Pattern ADVERTISER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final HistoryRepository repository;

    HistoryController(HistoryRepository repository) {
        this.repository = repository;
    }

    /** One advertiser's events in sequence order. */
    @GetMapping(value = "/api/v1/advertisers/{advertiserId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> history(@PathVariable String advertiserId, @ModelAttribute EventQueryParams params) {
        if (!ADVERTISER_ID.matcher(advertiserId).matches()) {
            throw ApiException.notFound("advertiser-not-found", "no advertiser with that id");
        }
        EventFilters filters = params.filters();
        List<EnvelopePages.Stored> rows = repository.page(new HistoryQuery(advertiserId, filters,
                Cursors.positionOf(params.cursor())));
        if (rows.isEmpty() && params.cursor() == null && !repository.exists(advertiserId)) {
            throw ApiException.notFound("advertiser-not-found", "no events of advertiser " + advertiserId);
        }
        return EnvelopePages.page(rows, filters.limit());
    }

    /**
     * Events of every advertiser, filtered by type, actor, the policy a decision cites, and recorded time, in the
     * order audit-service received them: a page never changes once served, whatever arrives after it.
     */
    @GetMapping(value = "/api/v1/events", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> search(@ModelAttribute EventQueryParams params) {
        EventFilters filters = params.filters();
        return EnvelopePages.page(repository.search(filters, Cursors.positionOf(params.cursor())), filters.limit());
    }
}
