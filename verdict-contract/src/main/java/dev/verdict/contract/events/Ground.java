package dev.verdict.contract.events;

/** The ground of a decision: a breach of the terms and conditions, or illegal content (then a legal ground is named). */
public enum Ground {
    INCOMPATIBLE_CONTENT,
    ILLEGAL_CONTENT
}
