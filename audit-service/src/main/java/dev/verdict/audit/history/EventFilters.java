package dev.verdict.audit.history;

import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Instants;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The filters the history and the search share, checked once: event types (repeatable or comma-separated), actor,
 * policy, recorded-time range ({@code from} inclusive, {@code to} exclusive), page size.
 */
public record EventFilters(List<String> types, String actor, String policy, Instant from, Instant to, int limit) {

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    public static EventFilters of(List<String> type, String actor, String policy, String from, String to,
                                  Integer limit) {
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
        checkText("actor", actor);
        checkText("policy", policy);
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw ApiException.badRequest("validation-failed", "from must be before to");
        }
        return new EventFilters(types, actor, policy, fromTime, toTime, pageSize);
    }

    /** Appends the filters as SQL conditions on audit_event and their arguments. */
    void appendTo(StringBuilder sql, List<Object> args) {
        if (!types.isEmpty()) {
            sql.append(" AND event_type = ANY (?)");
            args.add(types.toArray(String[]::new));
        }
        if (actor != null) {
            sql.append(" AND actor_id = ?");
            args.add(actor);
        }
        if (policy != null) {
            sql.append(" AND policy_id = ?");
            args.add(policy);
        }
        if (from != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" AND occurred_at < ?");
            args.add(Timestamp.from(to));
        }
    }

    /** Appends the filters, and an advertiser when given, as SQL conditions on audit_event. */
    public void appendTo(StringBuilder sql, List<Object> args, String advertiserId) {
        if (advertiserId != null) {
            sql.append(" AND advertiser_id = ?");
            args.add(advertiserId);
        }
        appendTo(sql, args);
    }

    public List<Object> newArgs(Object... first) {
        return new ArrayList<>(Arrays.asList(first));
    }

    private static void checkText(String name, String value) {
        if (value != null && (value.isBlank() || value.length() > 128)) {
            throw ApiException.badRequest("validation-failed", name + " must be 1 to 128 characters");
        }
    }

    private static Instant instant(String name, String value) {
        return Instants.parameter(name, value);
    }
}
