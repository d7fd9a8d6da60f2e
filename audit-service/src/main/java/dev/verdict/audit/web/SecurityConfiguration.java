package dev.verdict.audit.web;

import dev.verdict.servicekit.ApiSecurity;
import dev.verdict.servicekit.JwtClaims;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/** The audit history is for auditors; operations are for admins. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** The same rules whatever authenticated the caller. */
    static final ApiSecurity.Rules RULES = rules -> rules
            .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info")
            .permitAll()
            .requestMatchers(HttpMethod.GET, "/api/v1/admin/**").hasRole("ADMIN")
            .requestMatchers(HttpMethod.POST, "/api/v1/admin/dead-letters/*/retry", "/api/v1/admin/replay")
            .hasRole("ADMIN")
            .requestMatchers(HttpMethod.GET, "/api/v1/**").hasRole("AUDITOR")
            .anyRequest().denyAll();

    @Bean
    @Profile("local")
    SecurityFilterChain localApi(HttpSecurity http) throws Exception {
        return ApiSecurity.localBasic(http, RULES);
    }

    @Bean
    @Profile("!local")
    SecurityFilterChain jwtApi(HttpSecurity http, ObjectProvider<JwtDecoder> decoder, JwtClaims claims)
            throws Exception {
        return ApiSecurity.jwt(http, RULES, decoder.getIfAvailable(), claims);
    }
}
