package dev.verdict.moderation.advertiser;

import dev.verdict.moderation.web.CommandHeaders;
import dev.verdict.moderation.web.Commands;
import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Principals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/advertisers")
class AdvertiserController {

    private final Commands commands;
    private final AdvertiserProjection view;

    AdvertiserController(Commands commands, AdvertiserProjection view) {
        this.commands = commands;
        this.view = view;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> register(@Valid @RequestBody RegisterAdvertiserRequest request,
                                                 HttpServletRequest http, Authentication principal) {
        if (!AdvertiserIds.isCountry(request.country())) {
            throw ApiException.badRequest("validation-failed", "country " + request.country()
                    + " is not an ISO 3166-1 alpha-2 code");
        }
        return commands.execute(new RegisterAdvertiser(request.advertiserId(), request.legalName(),
                        request.country(), request.accountType()), request.advertiserId(),
                new Commands.Answer("/api/v1/advertisers/" + request.advertiserId(), Map.of()), null, http, principal);
    }

    @PostMapping("/{advertiserId}/notes")
    ResponseEntity<Map<String, Object>> addNote(@PathVariable String advertiserId,
                                                @Valid @RequestBody AddNoteRequest request,
                                                @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                                HttpServletRequest http, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        String noteId = UUID.randomUUID().toString();
        return commands.execute(new AddNote(advertiserId, CommandHeaders.expectedVersion(ifMatch), noteId,
                        request.decisionId(), request.text()), advertiserId,
                new Commands.Answer("/api/v1/advertisers/" + advertiserId, Map.of("noteId", noteId)), null, http,
                principal);
    }

    @GetMapping("/{advertiserId}")
    ResponseEntity<AdvertiserView> get(@PathVariable String advertiserId, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        Principals.boundAdvertiser(principal).filter(own -> !own.equals(advertiserId)).ifPresent(other -> {
            throw ApiException.forbidden("an advertiser account reads only its own advertiser");
        });
        AdvertiserView advertiser = view.find(advertiserId).orElseThrow(() -> ApiException.notFound(
                "advertiser-not-found", "no advertiser " + advertiserId));
        boolean ownAccount = Principals.boundAdvertiser(principal).isPresent();
        return ResponseEntity.ok().eTag("\"" + advertiser.version() + "\"")
                .body(ownAccount ? advertiser.forAdvertiser() : advertiser);
    }
}
