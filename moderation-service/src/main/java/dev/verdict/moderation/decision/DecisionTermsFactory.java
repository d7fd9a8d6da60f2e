package dev.verdict.moderation.decision;

import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.moderation.policy.PolicyCatalogue;
import dev.verdict.servicekit.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Turns a decision request into the terms its event carries: the cited clause resolved against the catalogue (its
 * text copied in), scopes and territories normalised, effectiveFrom defaulting to now.
 */
@Component
public class DecisionTermsFactory {

    private final PolicyCatalogue catalogue;
    private final Clock clock;

    public DecisionTermsFactory(PolicyCatalogue catalogue, Clock clock) {
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /** @param batchId the bulk request the decision belongs to, or null */
    public DecisionTerms terms(IssueDecisionRequest request, String batchId) {
        if (request.ground() == Ground.ILLEGAL_CONTENT && (request.legalGround() == null
                || request.legalGround().isBlank())) {
            throw ApiException.badRequest("validation-failed", "legalGround is required when ground is ILLEGAL_CONTENT");
        }
        var citation = request.policy();
        PolicyReference policy = catalogue.cite(citation.id(), citation.version(), citation.clause())
                .orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-policy-clause",
                        "the catalogue has no clause " + citation.clause() + " in policy " + citation.id()
                                + " version " + citation.version() + "; a decision must name a registered clause"));
        Instant effectiveFrom = request.effectiveFrom() != null ? request.effectiveFrom() : clock.instant();
        return new DecisionTerms(
                request.scope().stream().sorted().distinct().toList(),
                policy,
                request.ground(),
                request.ground() == Ground.ILLEGAL_CONTENT ? request.legalGround() : null,
                request.category(),
                request.statement(),
                Territories.normalize(request.territorialScope()),
                request.automatedDetection(),
                request.automatedDecision(),
                request.evidence() == null ? List.of()
                        : request.evidence().stream().map(EvidenceRequest::toEvidence).toList(),
                effectiveFrom,
                request.expiresAt(),
                batchId,
                request.source() == null ? null : request.source().toSource());
    }
}
