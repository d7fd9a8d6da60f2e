package dev.verdict.audit.history;

import java.time.Instant;
import java.util.List;

/**
 * A page of one advertiser's history. Filters combine with AND; {@code from} is inclusive and {@code to}
 * exclusive, both on the recorded time (occurredAt).
 *
 * @param afterSequence the cursor: only events after this sequence
 */
record HistoryQuery(String advertiserId, List<String> types, String actor, Instant from, Instant to,
                    long afterSequence, int limit) {
}
