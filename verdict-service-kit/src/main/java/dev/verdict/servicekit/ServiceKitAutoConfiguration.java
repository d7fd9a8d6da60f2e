package dev.verdict.servicekit;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/** Brings the shared problem+json handling into both services. */
@AutoConfiguration
@Import(ProblemHandler.class)
public class ServiceKitAutoConfiguration {
}
