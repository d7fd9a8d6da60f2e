package dev.verdict.moderation.decision;

import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.moderation.advertiser.AdvertiserIds;
import dev.verdict.moderation.advertiser.IssueDecision;
import dev.verdict.moderation.policy.PolicyCatalogue;
import dev.verdict.moderation.provenance.CommandMetadata;
import dev.verdict.moderation.web.CommandHeaders;
import dev.verdict.moderation.web.Commands;
import dev.verdict.servicekit.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DecisionController {

    private final Commands commands;
    private final CommandMetadata metadata;
    private final PolicyCatalogue catalogue;
    private final Clock clock;

    DecisionController(Commands commands, CommandMetadata metadata, PolicyCatalogue catalogue, Clock clock) {
        this.commands = commands;
        this.metadata = metadata;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    @PostMapping("/api/v1/advertisers/{advertiserId}/decisions")
    ResponseEntity<Map<String, Object>> issue(@PathVariable String advertiserId,
                                              @Valid @RequestBody IssueDecisionRequest request,
                                              @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                              @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                              HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        Long expectedVersion = CommandHeaders.expectedVersion(ifMatch);
        DecisionTerms terms = terms(request);
        var issued = metadata.of(http, principal, null, CommandHeaders.idempotencyKey(key));
        String decisionId = UUID.randomUUID().toString();
        long version = commands.send(new IssueDecision(advertiserId, expectedVersion, decisionId, request.kind(), terms,
                clock.instant()), issued.metaData());
        return ResponseEntity.created(URI.create("/api/v1/advertisers/" + advertiserId + "/decisions/" + decisionId))
                .eTag("\"" + version + "\"")
                .body(Map.of("decisionId", decisionId, "advertiserId", advertiserId, "version", version,
                        "commandId", issued.commandId()));
    }

    private DecisionTerms terms(IssueDecisionRequest request) {
        if (request.ground() == Ground.ILLEGAL_CONTENT && (request.legalGround() == null
                || request.legalGround().isBlank())) {
            throw ApiException.badRequest("validation-failed", "legalGround is required when ground is ILLEGAL_CONTENT");
        }
        List<String> territories = request.territorialScope().stream().distinct().sorted().toList();
        if (territories.contains("WORLDWIDE") && territories.size() > 1) {
            throw ApiException.badRequest("validation-failed",
                    "territorialScope is either [\"WORLDWIDE\"] or a list of country codes");
        }
        territories.stream().filter(code -> !code.equals("WORLDWIDE") && !AdvertiserIds.isCountry(code)).findFirst()
                .ifPresent(code -> {
                    throw ApiException.badRequest("validation-failed", code + " is not an ISO 3166-1 alpha-2 code");
                });
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
                territories,
                request.automatedDetection(),
                request.automatedDecision(),
                request.evidence() == null ? List.of()
                        : request.evidence().stream().map(EvidenceRequest::toEvidence).toList(),
                effectiveFrom,
                request.expiresAt(),
                null);
    }
}
