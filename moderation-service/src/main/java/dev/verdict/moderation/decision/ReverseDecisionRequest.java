package dev.verdict.moderation.decision;

import dev.verdict.servicekit.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record ReverseDecisionRequest(@NotBlank @Size(max = 5000) @PlainText String reason) {
}
