package dev.verdict.contract.events;

/** The enforcement action a decision takes. Each kind is published as its own event type. */
public enum DecisionKind {
    /** Indefinite. */
    BAN,
    /** Ends by itself at {@code expiresAt}. */
    SUSPENSION,
    RESTRICTION,
    WARNING
}
