package dev.verdict.audit.history;

import java.util.List;

/**
 * The query parameters of the history, the search and the exports, bound from the request as they are (checked by
 * {@link EventFilters}): {@code type} (repeatable or comma-separated), {@code actor}, {@code policy}, {@code from},
 * {@code to}, {@code cursor}, {@code limit}, and for exports {@code advertiserId}.
 */
public record EventQueryParams(List<String> type, String actor, String policy, String from, String to,
                               String cursor, Integer limit, String advertiserId) {

    public EventFilters filters() {
        return EventFilters.of(type, actor, policy, from, to, limit);
    }
}
