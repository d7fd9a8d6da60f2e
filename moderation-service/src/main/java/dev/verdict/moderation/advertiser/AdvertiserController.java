package dev.verdict.moderation.advertiser;

import dev.verdict.moderation.provenance.CommandMetadata;
import dev.verdict.moderation.web.CommandHeaders;
import dev.verdict.moderation.web.Commands;
import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Principals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Map;
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
    private final CommandMetadata metadata;
    private final AdvertiserProjection view;

    AdvertiserController(Commands commands, CommandMetadata metadata, AdvertiserProjection view) {
        this.commands = commands;
        this.metadata = metadata;
        this.view = view;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> register(@Valid @RequestBody RegisterAdvertiserRequest request,
                                                 @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                                 HttpServletRequest http, Authentication principal) {
        if (!AdvertiserIds.isCountry(request.country())) {
            throw ApiException.badRequest("validation-failed", "country " + request.country()
                    + " is not an ISO 3166-1 alpha-2 code");
        }
        var issued = metadata.of(http, principal, null, CommandHeaders.idempotencyKey(key));
        commands.send(new RegisterAdvertiser(request.advertiserId(), request.legalName(), request.country(),
                request.accountType()), issued.metaData());
        return ResponseEntity.created(URI.create("/api/v1/advertisers/" + request.advertiserId()))
                .eTag("\"0\"")
                .body(Map.of("advertiserId", request.advertiserId(), "version", 0L, "commandId", issued.commandId()));
    }

    @GetMapping("/{advertiserId}")
    ResponseEntity<AdvertiserView> get(@PathVariable String advertiserId, Authentication principal) {
        AdvertiserIds.advertiserId(advertiserId);
        Principals.boundAdvertiser(principal).filter(own -> !own.equals(advertiserId)).ifPresent(other -> {
            throw ApiException.forbidden("an advertiser account reads only its own advertiser");
        });
        AdvertiserView advertiser = view.find(advertiserId).orElseThrow(() -> ApiException.notFound(
                "advertiser-not-found", "no advertiser " + advertiserId));
        return ResponseEntity.ok().eTag("\"" + advertiser.version() + "\"").body(advertiser);
    }
}
