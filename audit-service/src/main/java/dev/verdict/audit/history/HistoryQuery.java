package dev.verdict.audit.history;

/**
 * A page of one advertiser's history.
 *
 * @param afterSequence the cursor: only events after this sequence
 */
record HistoryQuery(String advertiserId, EventFilters filters, long afterSequence) {
}
