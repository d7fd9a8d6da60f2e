package dev.verdict.peer;

import dev.verdict.contract.events.AccountType;
import dev.verdict.contract.events.AutomatedDecision;
import dev.verdict.contract.events.DecisionKind;
import dev.verdict.contract.events.DecisionTerms;
import dev.verdict.contract.events.Evidence;
import dev.verdict.contract.events.Ground;
import dev.verdict.contract.events.PolicyReference;
import dev.verdict.contract.events.Scope;
import dev.verdict.contract.events.StatementCategory;
import dev.verdict.moderation.advertiser.IssueDecision;
import dev.verdict.moderation.advertiser.RegisterAdvertiser;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The three requests the benchmark sends, with the same JSON bodies as to moderation-service: register a policy,
 * register an advertiser, issue a decision. Each command goes through Axon's command gateway
 * ({@code sendAndWait}) to the same aggregate, which appends the same contract event.
 *
 * <p>Less than the real service does per request, which favours the peer: no authentication (the service checks
 * HTTP Basic on every request), no bean validation of the body, no idempotency keys, no provenance metadata or
 * hash chain on the events, no read model written in the command's transaction. The policy catalogue is kept in
 * memory (the service keeps a cited version in memory too, after reading it once).
 */
@RestController
class PeerController {

    record Clause(String clause, String text) {
    }

    record PolicyRegistration(String id, String version, String title, List<Clause> clauses) {
    }

    record AdvertiserRequest(String advertiserId, String legalName, String country, AccountType accountType) {
    }

    record Citation(String id, String version, String clause) {
    }

    record EvidenceRequest(String uri, String sha256, String mediaType, String description) {
    }

    record DecisionRequest(DecisionKind kind, Set<Scope> scope, Citation policy, Ground ground, String legalGround,
                           StatementCategory category, String statement, List<String> territorialScope,
                           Boolean automatedDetection, AutomatedDecision automatedDecision,
                           List<EvidenceRequest> evidence, Instant effectiveFrom, Instant expiresAt) {
    }

    private record Key(String id, String version, String clause) {
    }

    private final CommandGateway commands;
    private final Clock clock = Clock.systemUTC();
    private final Map<Key, String> clauses = new ConcurrentHashMap<>();

    PeerController(CommandGateway commands) {
        this.commands = commands;
    }

    /** For the harness: answers once the application is up. */
    @GetMapping("/ready")
    String ready() {
        return "UP";
    }

    @PostMapping("/api/v1/policies")
    ResponseEntity<Void> registerPolicy(@RequestBody PolicyRegistration policy) {
        boolean added = false;
        for (Clause clause : policy.clauses()) {
            added |= clauses.putIfAbsent(new Key(policy.id(), policy.version(), clause.clause()), clause.text())
                    == null;
        }
        return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.CONFLICT).build();
    }

    @PostMapping("/api/v1/advertisers")
    ResponseEntity<Map<String, Object>> register(@RequestBody AdvertiserRequest request) {
        commands.sendAndWait(new RegisterAdvertiser(request.advertiserId(), request.legalName(), request.country(),
                request.accountType()));
        return ResponseEntity.created(URI.create("/api/v1/advertisers/" + request.advertiserId())).body(Map.of());
    }

    @PostMapping("/api/v1/advertisers/{advertiserId}/decisions")
    ResponseEntity<Map<String, Object>> decide(@PathVariable String advertiserId,
                                               @RequestBody DecisionRequest request) {
        Citation citation = request.policy();
        String text = clauses.get(new Key(citation.id(), citation.version(), citation.clause()));
        if (text == null) {
            return ResponseEntity.unprocessableContent().body(Map.of("type", "unknown-policy-clause"));
        }
        Instant now = clock.instant();
        DecisionTerms terms = new DecisionTerms(request.scope().stream().sorted().distinct().toList(),
                new PolicyReference(citation.id(), citation.version(), citation.clause(), text), request.ground(),
                request.ground() == Ground.ILLEGAL_CONTENT ? request.legalGround() : null, request.category(),
                request.statement(), request.territorialScope().stream().distinct().sorted().toList(),
                Boolean.TRUE.equals(request.automatedDetection()), request.automatedDecision(),
                request.evidence() == null ? List.of() : request.evidence().stream()
                        .map(e -> new Evidence(e.uri(), e.sha256(), e.mediaType(), e.description())).toList(),
                request.effectiveFrom() != null ? request.effectiveFrom() : now, request.expiresAt(), null, null);
        String decisionId = UUID.randomUUID().toString();
        Long version = commands.sendAndWait(new IssueDecision(advertiserId, null, decisionId, request.kind(), terms,
                now));
        return ResponseEntity.created(URI.create("/api/v1/advertisers/" + advertiserId + "/decisions/" + decisionId))
                .body(Map.of("decisionId", decisionId, "version", version));
    }
}
