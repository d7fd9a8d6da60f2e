package dev.verdict.moderation.web;

import dev.verdict.servicekit.Problems;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A command that Axon interrupted for running too long (VERDICT_COMMAND_TIMEOUT_MS) rolled back: nothing was
 * recorded, and the client may try again. Not a fault of the request, nor a 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CommandTimeouts {

    @ExceptionHandler(AxonTimeoutException.class)
    ResponseEntity<ProblemDetail> timedOut(AxonTimeoutException e) {
        return Problems.retryLater("command-timed-out",
                "the command took too long and was abandoned; nothing was recorded, try again");
    }
}
