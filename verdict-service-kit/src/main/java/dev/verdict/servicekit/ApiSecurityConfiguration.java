package dev.verdict.servicekit;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The two ways a service authenticates, for a service's configuration to extend with its own rules: HTTP Basic
 * against the local users in the {@code local} profile, bearer JWTs everywhere else. The rules are the same either way.
 */
public abstract class ApiSecurityConfiguration {

    /** Who may call what. */
    protected abstract ApiSecurity.Rules rules();

    /**
     * Spring Security's own observations are off: with Micrometer on the class path it wraps every filter of every
     * request in an observation, which was a visible share of a command's CPU (docs/BENCHMARKS.md). The HTTP
     * server's request metrics (http.server.requests) and traces are unaffected.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Profile("local")
    SecurityFilterChain localApi(HttpSecurity http) throws Exception {
        return ApiSecurity.localBasic(http, rules());
    }

    @Bean
    @Profile("!local")
    SecurityFilterChain jwtApi(HttpSecurity http, ObjectProvider<JwtDecoder> decoder, JwtClaims claims)
            throws Exception {
        return ApiSecurity.jwt(http, rules(), decoder.getIfAvailable(), claims);
    }
}
