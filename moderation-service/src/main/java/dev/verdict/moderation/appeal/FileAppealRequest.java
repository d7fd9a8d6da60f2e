package dev.verdict.moderation.appeal;

import dev.verdict.moderation.decision.EvidenceRequest;
import dev.verdict.servicekit.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

public record FileAppealRequest(@NotBlank @Size(max = 5000) @PlainText String statement,
                                @Size(max = 20) List<@NotNull @Valid EvidenceRequest> attachments) {
}
