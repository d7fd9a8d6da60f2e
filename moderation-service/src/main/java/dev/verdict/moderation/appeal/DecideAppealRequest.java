package dev.verdict.moderation.appeal;

import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.Scope;
import dev.verdict.moderation.advertiser.AppealOutcome;
import dev.verdict.servicekit.AcceptedInstant;
import dev.verdict.servicekit.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A reviewer's ruling. {@code replacement} is required for MODIFIED and refused otherwise. */
public record DecideAppealRequest(@NotNull AppealOutcome outcome,
                                  @NotBlank @Size(max = 5000) @PlainText String rationale,
                                  @Valid Replacement replacement) {

    /** The narrower decision; what it does not name is kept from the original (rule, ground, evidence). */
    public record Replacement(@NotNull DecisionKind kind,
                              @NotEmpty Set<@NotNull Scope> scope,
                              @NotEmpty @Size(max = 300)
                              List<@NotNull @Pattern(regexp = "[A-Z]{2}|WORLDWIDE") String> territorialScope,
                              @AcceptedInstant Instant expiresAt,
                              @Size(min = 1, max = 5000) @PlainText String statement) {
    }
}
