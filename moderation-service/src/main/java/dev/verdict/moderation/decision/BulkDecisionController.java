package dev.verdict.moderation.decision;

import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.moderation.advertiser.IssueDecision;
import dev.verdict.moderation.web.CommandProblems;
import dev.verdict.moderation.web.Commands;
import dev.verdict.servicekit.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk decisions: the same decision for up to 1,000 advertisers. Each advertiser's decision is its own command and
 * its own event, all carrying one {@code batchId}; each gets its own result, so some may be rejected (unknown
 * advertiser, a rule) while the rest are recorded. With an Idempotency-Key, each item is idempotent by itself: a
 * retried request records only what the first did not.
 */
@RestController
class BulkDecisionController {

    private final Commands commands;
    private final DecisionTermsFactory termsFactory;
    private final Clock clock;

    BulkDecisionController(Commands commands, DecisionTermsFactory termsFactory, Clock clock) {
        this.commands = commands;
        this.termsFactory = termsFactory;
        this.clock = clock;
    }

    @PostMapping("/api/v1/decisions/bulk")
    Map<String, Object> issue(@Valid @RequestBody BulkDecisionRequest request, HttpServletRequest http,
                              Authentication principal) {
        if (new HashSet<>(request.advertiserIds()).size() != request.advertiserIds().size()) {
            throw ApiException.badRequest("validation-failed", "advertiserIds must not repeat an advertiser");
        }
        Commands.Idempotency idempotency = Commands.Idempotency.of(http);
        String batchId = idempotency.key() == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((principal.getName() + "\n" + idempotency.key()).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)).toString();
        DecisionTerms terms = termsFactory.terms(request.decision(), batchId);
        List<Map<String, Object>> results = new ArrayList<>();
        int accepted = 0;
        for (String advertiserId : request.advertiserIds()) {
            String decisionId = UUID.randomUUID().toString();
            ResponseEntity<?> outcome;
            try {
                outcome = commands.execute(new IssueDecision(advertiserId, null, decisionId, request.decision().kind(),
                                terms, clock.instant()), advertiserId,
                        new Commands.Answer("/api/v1/advertisers/" + advertiserId + "/decisions/" + decisionId,
                                Map.of("decisionId", decisionId)), null, http, principal,
                        idempotency.item(advertiserId));
            } catch (RuntimeException e) {
                outcome = CommandProblems.rejection(e).orElseThrow(() -> e);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("advertiserId", advertiserId);
            result.put("status", outcome.getStatusCode().value());
            if (outcome.getBody() instanceof ProblemDetail problem) {
                result.put("code", problem.getProperties() == null ? null : problem.getProperties().get("code"));
                result.put("detail", problem.getDetail());
            } else if (outcome.getBody() instanceof Map<?, ?> body) {
                result.put("decisionId", body.get("decisionId"));
                result.put("version", body.get("version"));
                accepted++;
            }
            results.add(result);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("batchId", batchId);
        response.put("accepted", accepted);
        response.put("rejected", results.size() - accepted);
        response.put("results", results);
        return response;
    }
}
