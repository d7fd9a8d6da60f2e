package dev.verdict.moderation.advertiser;

import dev.verdict.servicekit.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** @param decisionId the decision the note is about, if any */
public record AddNoteRequest(@NotBlank @Size(max = 5000) @PlainText String text,
                             @Pattern(regexp = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                     message = "must be a decision id (a lowercase UUID)") String decisionId) {
}
