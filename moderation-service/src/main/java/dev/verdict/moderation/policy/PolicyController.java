package dev.verdict.moderation.policy;

import dev.verdict.servicekit.ApiException;
import dev.verdict.servicekit.Page;
import jakarta.validation.Valid;
import java.time.Clock;
import java.util.HashSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/policies")
class PolicyController {

    private final PolicyCatalogue catalogue;
    private final Clock clock;

    PolicyController(PolicyCatalogue catalogue, Clock clock) {
        this.catalogue = catalogue;
        this.clock = clock;
    }

    @PostMapping
    ResponseEntity<PolicyVersion> register(@Valid @RequestBody PolicyRegistration registration,
                                           Authentication principal) {
        if (new HashSet<>(registration.clauses().stream().map(PolicyRegistration.Clause::clause).toList()).size()
                != registration.clauses().size()) {
            throw ApiException.badRequest("validation-failed", "clause identifiers must be unique within a version");
        }
        if (!catalogue.register(registration, principal.getName(), clock.instant())) {
            throw new ApiException(HttpStatus.CONFLICT, "policy-version-exists", "policy " + registration.id()
                    + " version " + registration.version() + " is registered already; a new text is a new version");
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(catalogue.find(registration.id(), registration.version()).orElseThrow());
    }

    @GetMapping
    Page<PolicyVersion> list() {
        return new Page<>(catalogue.all(), null);
    }

    /** Policy ids may contain slashes ({@code ads/unacceptable-business-practices}), so the path is parsed here. */
    @GetMapping("/{*path}")
    PolicyVersion get(@PathVariable String path) {
        int marker = path.lastIndexOf("/versions/");
        if (marker <= 1) {
            throw ApiException.notFound("not-found", "expected /api/v1/policies/{id}/versions/{version}");
        }
        String id = path.substring(1, marker);
        String version = path.substring(marker + "/versions/".length());
        return catalogue.find(id, version).orElseThrow(() -> ApiException.notFound("policy-not-found",
                "no policy " + id + " version " + version));
    }
}
