package dev.verdict.moderation.decision;

import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.moderation.advertiser.AdvertiserIds;
import dev.verdict.moderation.advertiser.AdvertiserProjection;
import dev.verdict.moderation.advertiser.AttachEvidence;
import dev.verdict.moderation.advertiser.IssueDecision;
import dev.verdict.moderation.advertiser.ReverseDecision;
import dev.verdict.moderation.web.CommandHeaders;
import dev.verdict.moderation.web.Commands;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class DecisionController {

    private static final String BASE = "/api/v1/advertisers/{advertiserId}/decisions";

    private final Commands commands;
    private final DecisionTermsFactory termsFactory;
    private final AdvertiserProjection view;
    private final Clock clock;

    DecisionController(Commands commands, DecisionTermsFactory termsFactory, AdvertiserProjection view, Clock clock) {
        this.commands = commands;
        this.termsFactory = termsFactory;
        this.view = view;
        this.clock = clock;
    }

    @PostMapping(BASE)
    ResponseEntity<Map<String, Object>> issue(@PathVariable String advertiserId,
                                              @Valid @RequestBody IssueDecisionRequest request,
                                              @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                              HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        Long expectedVersion = CommandHeaders.expectedVersion(ifMatch);
        DecisionTerms terms = termsFactory.terms(request, null);
        String decisionId = UUID.randomUUID().toString();
        return commands.execute(new IssueDecision(advertiserId, expectedVersion, decisionId, request.kind(), terms,
                        clock.instant()), advertiserId, new Commands.Answer("/api/v1/advertisers/" + advertiserId
                        + "/decisions/" + decisionId, Map.of("decisionId", decisionId)), null, http, principal);
    }

    @PostMapping(BASE + "/{decisionId}/evidence")
    ResponseEntity<Map<String, Object>> attachEvidence(@PathVariable String advertiserId,
                                                       @PathVariable String decisionId,
                                                       @Valid @RequestBody AttachEvidenceRequest request,
                                                       @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                                       HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        String decision = AdvertiserIds.uuid(decisionId, "decision-not-found");
        return commands.execute(new AttachEvidence(advertiserId, CommandHeaders.expectedVersion(ifMatch), decision,
                        request.evidence().stream().map(EvidenceRequest::toEvidence).toList()), advertiserId,
                decisionAnswer(advertiserId, decision), null, http, principal);
    }

    @PostMapping(BASE + "/{decisionId}/reversal")
    ResponseEntity<Map<String, Object>> reverse(@PathVariable String advertiserId, @PathVariable String decisionId,
                                                @Valid @RequestBody ReverseDecisionRequest request,
                                                @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                                HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        String decision = AdvertiserIds.uuid(decisionId, "decision-not-found");
        return commands.execute(new ReverseDecision(advertiserId, CommandHeaders.expectedVersion(ifMatch), decision,
                request.reason()), advertiserId, decisionAnswer(advertiserId, decision), null, http, principal);
    }

    private Commands.Answer decisionAnswer(String advertiserId, String decisionId) {
        return new Commands.Answer("/api/v1/advertisers/" + advertiserId + "/decisions/" + decisionId,
                Map.of("decisionId", decisionId), view.correlationOfDecision(decisionId).orElse(null));
    }
}
