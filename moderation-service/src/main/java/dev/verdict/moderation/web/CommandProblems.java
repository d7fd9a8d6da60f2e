package dev.verdict.moderation.web;

import dev.verdict.moderation.advertiser.RuleViolation;
import dev.verdict.servicekit.Problems;
import java.util.Map;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The problem+json answer to each way a command can be rejected. A rejected command recorded nothing. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CommandProblems {

    /**
     * The answer to a rejected command, for callers that report many outcomes in one response (bulk decisions);
     * empty for failures that are not a rejection of the command (those are the service's own errors).
     */
    public static java.util.Optional<ResponseEntity<ProblemDetail>> rejection(RuntimeException e) {
        CommandProblems problems = new CommandProblems();
        if (e instanceof RuleViolation violation) {
            return java.util.Optional.of(problems.rule(violation));
        } else if (e instanceof AggregateNotFoundException notFound) {
            return java.util.Optional.of(problems.advertiserNotFound(notFound));
        } else if (e instanceof ConflictingAggregateVersionException stale) {
            return java.util.Optional.of(problems.stale(stale));
        } else if (e instanceof AggregateStreamCreationException exists) {
            return java.util.Optional.of(problems.alreadyRegistered(exists));
        } else if (e instanceof ConcurrencyException concurrent) {
            return java.util.Optional.of(problems.concurrent(concurrent));
        } else if (e instanceof dev.verdict.servicekit.ApiException api) {
            return java.util.Optional.of(Problems.response(api.status(), api.code(), api.getMessage()));
        }
        return java.util.Optional.empty();
    }

    /** Status per rule code: missing things 404, state conflicts 409, rules about the request's content 422. */
    private static final Map<String, HttpStatus> STATUS = Map.ofEntries(
            Map.entry("decision-not-found", HttpStatus.NOT_FOUND),
            Map.entry("appeal-not-found", HttpStatus.NOT_FOUND),
            Map.entry("decision-exists", HttpStatus.CONFLICT),
            Map.entry("appeal-exists", HttpStatus.CONFLICT),
            Map.entry("appeal-already-open", HttpStatus.CONFLICT),
            Map.entry("appeal-already-decided", HttpStatus.CONFLICT),
            Map.entry("decision-not-in-effect", HttpStatus.CONFLICT));

    @ExceptionHandler(RuleViolation.class)
    ResponseEntity<ProblemDetail> rule(RuleViolation e) {
        return Problems.response(STATUS.getOrDefault(e.code(), HttpStatus.UNPROCESSABLE_CONTENT), e.code(),
                e.getMessage());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> advertiserNotFound(AggregateNotFoundException e) {
        return Problems.response(HttpStatus.NOT_FOUND, "advertiser-not-found",
                "no advertiser " + e.getAggregateIdentifier());
    }

    @ExceptionHandler(ConflictingAggregateVersionException.class)
    ResponseEntity<ProblemDetail> stale(ConflictingAggregateVersionException e) {
        return Problems.response(HttpStatus.PRECONDITION_FAILED, "stale-version",
                "the advertiser is at version " + e.getActualVersion() + ", not the one given in If-Match");
    }

    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<ProblemDetail> alreadyRegistered(AggregateStreamCreationException e) {
        return Problems.response(HttpStatus.CONFLICT, "advertiser-exists", "this advertiser is already registered");
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrent(ConcurrencyException e) {
        return Problems.response(HttpStatus.CONFLICT, "concurrent-modification",
                "another command changed this advertiser at the same time; retry");
    }
}
