package dev.verdict.moderation.appeal;

import dev.verdict.contract.Envelope;
import dev.verdict.moderation.advertiser.AdvertiserIds;
import dev.verdict.moderation.advertiser.AdvertiserProjection;
import dev.verdict.moderation.advertiser.AppealOutcome;
import dev.verdict.moderation.advertiser.DecideAppeal;
import dev.verdict.moderation.advertiser.FileAppeal;
import dev.verdict.moderation.advertiser.WithdrawAppeal;
import dev.verdict.moderation.decision.EvidenceRequest;
import dev.verdict.moderation.decision.Territories;
import dev.verdict.moderation.web.CommandHeaders;
import dev.verdict.moderation.web.Commands;
import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Principals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AppealController {

    private final Commands commands;
    private final AdvertiserProjection view;
    private final Clock clock;

    AppealController(Commands commands, AdvertiserProjection view, Clock clock) {
        this.commands = commands;
        this.view = view;
        this.clock = clock;
    }

    /**
     * Filed by the advertiser's own account, or by a moderator on its behalf (then recorded as {@code onBehalfOf}).
     */
    @PostMapping("/api/v1/advertisers/{advertiserId}/decisions/{decisionId}/appeals")
    ResponseEntity<Map<String, Object>> file(@PathVariable String advertiserId, @PathVariable String decisionId,
                                             @Valid @RequestBody FileAppealRequest request,
                                             @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                             HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        String decision = AdvertiserIds.uuid(decisionId, "decision-not-found");
        boolean ownAccount = ownAccount(principal, advertiserId, "an advertiser account appeals only its own decisions");
        String appealId = UUID.randomUUID().toString();
        return commands.execute(new FileAppeal(advertiserId, CommandHeaders.expectedVersion(ifMatch), appealId,
                        decision, request.statement(),
                        request.attachments() == null ? List.of()
                                : request.attachments().stream().map(EvidenceRequest::toEvidence).toList(),
                        clock.instant()), advertiserId,
                appealAnswer(advertiserId, appealId, Map.of("decisionId", decision),
                        view.correlationOfDecision(decision).orElse(null)),
                ownAccount ? null : new Envelope.Party(advertiserId, "ADVERTISER"), http, principal);
    }

    @PostMapping("/api/v1/advertisers/{advertiserId}/appeals/{appealId}/withdrawal")
    ResponseEntity<Map<String, Object>> withdraw(@PathVariable String advertiserId, @PathVariable String appealId,
                                                 @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                                 HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        String appeal = AdvertiserIds.uuid(appealId, "appeal-not-found");
        boolean ownAccount = ownAccount(principal, advertiserId, "an advertiser account withdraws only its own appeals");
        return commands.execute(new WithdrawAppeal(advertiserId, CommandHeaders.expectedVersion(ifMatch), appeal,
                        ownAccount), advertiserId, appealAnswer(advertiserId, appeal, Map.of(),
                        view.correlationOfAppeal(appeal).orElse(null)),
                ownAccount ? null : new Envelope.Party(advertiserId, "ADVERTISER"), http, principal);
    }

    @PostMapping("/api/v1/advertisers/{advertiserId}/appeals/{appealId}/decision")
    ResponseEntity<Map<String, Object>> decide(@PathVariable String advertiserId, @PathVariable String appealId,
                                               @Valid @RequestBody DecideAppealRequest request,
                                               @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                               HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        String appeal = AdvertiserIds.uuid(appealId, "appeal-not-found");
        if ((request.outcome() == AppealOutcome.MODIFIED) != (request.replacement() != null)) {
            throw ApiException.badRequest("validation-failed",
                    "replacement is required for a MODIFIED outcome and not allowed for any other");
        }
        DecideAppeal.Replacement replacement = null;
        if (request.replacement() != null) {
            var r = request.replacement();
            replacement = new DecideAppeal.Replacement(UUID.randomUUID().toString(), r.kind(),
                    r.scope().stream().sorted().distinct().toList(), Territories.normalize(r.territorialScope()),
                    r.expiresAt(), r.statement());
        }
        Map<String, Object> ids = replacement == null ? Map.of("outcome", request.outcome())
                : Map.of("outcome", request.outcome(), "decisionId", replacement.decisionId());
        return commands.execute(new DecideAppeal(advertiserId, CommandHeaders.expectedVersion(ifMatch), appeal,
                        request.outcome(), request.rationale(), replacement, clock.instant()), advertiserId,
                appealAnswer(advertiserId, appeal, ids, view.correlationOfAppeal(appeal).orElse(null)), null, http,
                principal);
    }

    private static Commands.Answer appealAnswer(String advertiserId, String appealId, Map<String, Object> more,
                                                String correlationId) {
        Map<String, Object> ids = new java.util.HashMap<>(more);
        ids.put("appealId", appealId);
        return new Commands.Answer("/api/v1/advertisers/" + advertiserId + "/appeals/" + appealId, ids,
                correlationId);
    }

    /** True when an advertiser's own account acts; refuses an advertiser account acting on another advertiser. */
    private static boolean ownAccount(Authentication principal, String advertiserId, String refusal) {
        Optional<String> own = Principals.boundAdvertiser(principal);
        if (own.isPresent() && !own.get().equals(advertiserId)) {
            throw ApiException.forbidden(refusal);
        }
        return own.isPresent();
    }
}
