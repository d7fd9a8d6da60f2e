package dev.verdict.contract.events;

/** One piece of evidence: where it is, its SHA-256 (lowercase hex) so it cannot be swapped later, and what it shows. */
public record Evidence(String uri, String sha256, String mediaType, String description) {
}
