package dev.verdict.moderation.web;

import dev.verdict.servicekit.AdvertiserAccess;
import dev.verdict.servicekit.ApiSecurity;
import dev.verdict.servicekit.ApiSecurityConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may call what. An ADVERTISER account acts only on its own advertiser, checked here from the path before the
 * body is read (and again by the controllers, which decide whether a command is filed on the advertiser's behalf).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration extends ApiSecurityConfiguration {

    @Override
    protected ApiSecurity.Rules rules() {
        return rules -> rules
                .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info")
                .permitAll()
                // The web pages and their scripts hold no data: everything they show comes from the API below.
                .requestMatchers(HttpMethod.GET, "/ui", "/ui/**").permitAll()
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
    }
}
