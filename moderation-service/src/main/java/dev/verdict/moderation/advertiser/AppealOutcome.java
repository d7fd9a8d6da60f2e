package dev.verdict.moderation.advertiser;

/** What a reviewer decides about an appeal. */
public enum AppealOutcome {
    /** The decision stands. */
    UPHELD,
    /** The decision is reversed. */
    OVERTURNED,
    /** The decision is replaced by a narrower one. */
    MODIFIED
}
