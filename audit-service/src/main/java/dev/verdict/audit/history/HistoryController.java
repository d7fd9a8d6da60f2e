package dev.verdict.audit.history;

import dev.verdict.servicekit.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An advertiser's history: its events with full provenance, each item the envelope exactly as published (the same
 * bytes as on the topic), in sequence order.
 */
@RestController
class HistoryController {

    private static final Pattern ADVERTISER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final HistoryRepository repository;

    HistoryController(HistoryRepository repository) {
        this.repository = repository;
    }

    @GetMapping(value = "/api/v1/advertisers/{advertiserId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> history(@PathVariable String advertiserId,
                                   @RequestParam(required = false) List<String> type,
                                   @RequestParam(required = false) String actor,
                                   @RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to,
                                   @RequestParam(required = false) String cursor,
                                   @RequestParam(required = false) Integer limit) {
        if (!ADVERTISER_ID.matcher(advertiserId).matches()) {
            throw ApiException.notFound("advertiser-not-found", "no advertiser with that id");
        }
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            throw ApiException.badRequest("validation-failed", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<String> types = type == null ? List.of() : type.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .toList();
        types.stream().filter(value -> !EVENT_TYPE.matcher(value).matches()).findFirst().ifPresent(value -> {
            throw ApiException.badRequest("validation-failed", "type must be event type names such as AdvertiserBanned");
        });
        if (actor != null && (actor.isBlank() || actor.length() > 128)) {
            throw ApiException.badRequest("validation-failed", "actor must be 1 to 128 characters");
        }
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw ApiException.badRequest("validation-failed", "from must be before to");
        }
        HistoryQuery query = new HistoryQuery(advertiserId, types, actor, fromTime, toTime,
                Cursors.sequenceOf(cursor), pageSize);
        List<HistoryRepository.StoredEvent> rows = repository.page(query);
        if (rows.isEmpty() && cursor == null && !repository.exists(advertiserId)) {
            throw ApiException.notFound("advertiser-not-found", "no events of advertiser " + advertiserId);
        }
        boolean more = rows.size() > pageSize;
        List<HistoryRepository.StoredEvent> page = more ? rows.subList(0, pageSize) : rows;
        StringBuilder body = new StringBuilder(64 + page.stream().mapToInt(e -> e.envelope().length() + 1).sum());
        body.append("{\"items\":[");
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(page.get(i).envelope());
        }
        body.append("],\"nextCursor\":");
        body.append(more ? "\"" + Cursors.afterSequence(page.get(page.size() - 1).sequence()) + "\"" : "null");
        body.append('}');
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("validation-failed", name
                    + " must be an ISO-8601 UTC timestamp such as 2026-01-31T12:00:00Z");
        }
    }
}
