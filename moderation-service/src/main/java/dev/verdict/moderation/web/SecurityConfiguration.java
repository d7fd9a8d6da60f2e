package dev.verdict.moderation.web;

import dev.verdict.servicekit.AdvertiserAccess;
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

/**
 * Who may call what. An ADVERTISER account acts only on its own advertiser, checked here from the path before the
 * body is read (and again by the controllers, which decide whether a command is filed on the advertiser's behalf).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** The same rules whatever authenticated the caller. */
    static final ApiSecurity.Rules RULES = rules -> rules
            .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info")
            .permitAll()
            .requestMatchers(HttpMethod.POST, "/api/v1/policies").hasAnyRole("MODERATOR", "ADMIN")
            .requestMatchers(HttpMethod.GET, "/api/v1/policies", "/api/v1/policies/**").authenticated()
            .requestMatchers(HttpMethod.POST, "/api/v1/advertisers").hasRole("MODERATOR")
            .requestMatchers(HttpMethod.POST, "/api/v1/advertisers/*/decisions", "/api/v1/decisions/bulk")
            .hasRole("MODERATOR")
            .requestMatchers(HttpMethod.POST, "/api/v1/advertisers/*/decisions/*/evidence",
                    "/api/v1/advertisers/*/decisions/*/reversal", "/api/v1/advertisers/*/notes")
            .hasRole("MODERATOR")
            .requestMatchers(HttpMethod.POST, "/api/v1/advertisers/{advertiserId}/decisions/*/appeals",
                    "/api/v1/advertisers/{advertiserId}/appeals/*/withdrawal")
            .access(AdvertiserAccess.staffOrOwner("MODERATOR"))
            .requestMatchers(HttpMethod.POST, "/api/v1/advertisers/*/appeals/*/decision").hasRole("APPEAL_REVIEWER")
            .requestMatchers(HttpMethod.GET, "/api/v1/advertisers/{advertiserId}")
            .access(AdvertiserAccess.staffOrOwner("MODERATOR", "APPEAL_REVIEWER", "ADMIN"))
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
