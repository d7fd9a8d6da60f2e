package dev.verdict.moderation.appeal;

import dev.verdict.contract.Envelope;
import dev.verdict.moderation.advertiser.AdvertiserIds;
import dev.verdict.moderation.advertiser.FileAppeal;
import dev.verdict.moderation.decision.EvidenceRequest;
import dev.verdict.moderation.provenance.CommandMetadata;
import dev.verdict.moderation.web.CommandHeaders;
import dev.verdict.moderation.web.Commands;
import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Principals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
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
    private final CommandMetadata metadata;
    private final Clock clock;

    AppealController(Commands commands, CommandMetadata metadata, Clock clock) {
        this.commands = commands;
        this.metadata = metadata;
        this.clock = clock;
    }

    /**
     * Filed by the advertiser's own account, or by a moderator on its behalf (then recorded as {@code onBehalfOf}).
     */
    @PostMapping("/api/v1/advertisers/{advertiserId}/decisions/{decisionId}/appeals")
    ResponseEntity<Map<String, Object>> file(@PathVariable String advertiserId, @PathVariable String decisionId,
                                             @Valid @RequestBody FileAppealRequest request,
                                             @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                             @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                             HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        String decision = AdvertiserIds.uuid(decisionId, "decision-not-found");
        Optional<String> own = Principals.boundAdvertiser(principal);
        if (own.isPresent() && !own.get().equals(advertiserId)) {
            throw ApiException.forbidden("an advertiser account appeals only decisions about itself");
        }
        Envelope.Party onBehalfOf = own.isPresent() ? null : new Envelope.Party(advertiserId, "ADVERTISER");
        var issued = metadata.of(http, principal, onBehalfOf, CommandHeaders.idempotencyKey(key));
        String appealId = UUID.randomUUID().toString();
        long version = commands.send(new FileAppeal(advertiserId, CommandHeaders.expectedVersion(ifMatch), appealId,
                decision, request.statement(),
                request.attachments() == null ? List.of()
                        : request.attachments().stream().map(EvidenceRequest::toEvidence).toList(),
                clock.instant()), issued.metaData());
        return ResponseEntity.created(URI.create("/api/v1/advertisers/" + advertiserId + "/appeals/" + appealId))
                .eTag("\"" + version + "\"")
                .body(Map.of("appealId", appealId, "decisionId", decision, "advertiserId", advertiserId,
                        "version", version, "commandId", issued.commandId()));
    }
}
