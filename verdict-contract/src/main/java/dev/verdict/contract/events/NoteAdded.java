package dev.verdict.contract.events;

/** An internal note about the advertiser, optionally about one decision. Never shown to the advertiser. */
public record NoteAdded(String noteId, String decisionId, String text) implements AdvertiserEvent {
}
