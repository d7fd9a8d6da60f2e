package dev.verdict.moderation.decision;

import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.InformationSource;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.StatementCategory;
import dev.verdict.moderation.policy.PolicyRegistration;
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

/**
 * A decision as a moderator files it. Who decided is not in here: it is the authenticated principal.
 *
 * @param effectiveFrom optional; defaults to the time of recording, may lie in the past
 * @param source        where the information came from, for the statement of reasons
 */
public record IssueDecisionRequest(
        @NotNull DecisionKind kind,
        @NotEmpty Set<@NotNull Scope> scope,
        @NotNull @Valid PolicyCitation policy,
        @NotNull Ground ground,
        @Size(max = 2000) @PlainText String legalGround,
        @NotNull StatementCategory category,
        @NotBlank @Size(max = 5000) @PlainText String statement,
        @NotEmpty @Size(max = 300) List<@NotNull @Pattern(regexp = "[A-Z]{2}|WORLDWIDE") String> territorialScope,
        @NotNull Boolean automatedDetection,
        @NotNull AutomatedDecision automatedDecision,
        @Size(max = 100) List<@NotNull @Valid EvidenceRequest> evidence,
        @AcceptedInstant Instant effectiveFrom,
        @AcceptedInstant Instant expiresAt,
        @Valid Source source) {

    /**
     * Where the information came from (DSA Art. 17(3)(b)); optional, but a decision without it cannot be reported to
     * the DSA Transparency Database.
     */
    public record Source(@NotNull InformationSource.Type type, @Size(max = 500) @PlainText String identity) {
        public InformationSource toSource() {
            return new InformationSource(type, type == InformationSource.Type.SOURCE_VOLUNTARY ? null : identity);
        }
    }

    /** Which clause of which policy version the decision applies. */
    public record PolicyCitation(@NotNull @Pattern(regexp = PolicyRegistration.ID) String id,
                                 @NotNull @Pattern(regexp = PolicyRegistration.VERSION) String version,
                                 @NotNull @Pattern(regexp = PolicyRegistration.CLAUSE) String clause) {
    }
}
