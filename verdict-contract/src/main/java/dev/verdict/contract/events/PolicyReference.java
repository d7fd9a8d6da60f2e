package dev.verdict.contract.events;

/**
 * The rule a decision applies, pinned at decision time: policy id, version and clause, with the clause's text as it
 * stood in that version (a version never changes once registered).
 */
public record PolicyReference(String id, String version, String clause, String clauseText) {
}
