package dev.verdict.servicekit;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** Brings the shared problem+json handling and the JWT claim mapping into both services. */
@AutoConfiguration
@Import(ProblemHandler.class)
@EnableConfigurationProperties(JwtClaims.class)
public class ServiceKitAutoConfiguration {
}
