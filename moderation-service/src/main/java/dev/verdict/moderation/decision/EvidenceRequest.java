package dev.verdict.moderation.decision;

import dev.verdict.contract.events.Evidence;
import dev.verdict.servicekit.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** One piece of evidence as a request names it. */
public record EvidenceRequest(
        @NotNull @Size(max = 2048) @Pattern(regexp = "[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]+", message = "must be an absolute URI") String uri,
        @NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be a lowercase hex SHA-256") String sha256,
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}",
                message = "must be a media type such as application/pdf") String mediaType,
        @NotBlank @Size(max = 2000) @PlainText String description) {

    public Evidence toEvidence() {
        return new Evidence(uri, sha256, mediaType, description);
    }
}
