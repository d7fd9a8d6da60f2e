package dev.verdict.contract.events;

/** How far the decision itself was automated (DSA `automated_decision`). */
public enum AutomatedDecision {
    FULLY,
    PARTIALLY,
    NOT_AUTOMATED
}
