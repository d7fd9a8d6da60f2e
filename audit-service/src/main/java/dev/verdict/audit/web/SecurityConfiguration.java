package dev.verdict.audit.web;

import dev.verdict.servicekit.ApiSecurity;
import dev.verdict.servicekit.ApiSecurityConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/** The audit history is for auditors; operations are for admins. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration extends ApiSecurityConfiguration {

    @Override
    protected ApiSecurity.Rules rules() {
        return rules -> rules
                .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/info")
                .permitAll()
                // The web pages and their scripts hold no data: everything they show comes from the API below.
                .requestMatchers(HttpMethod.GET, "/ui", "/ui/**").permitAll()
                .requestMatchers(HttpMethod.GET, "/api/v1/admin/**").hasRole("ADMIN")
                .requestMatchers(HttpMethod.POST, "/api/v1/admin/dead-letters/*/retry", "/api/v1/admin/replay")
                .hasRole("ADMIN")
                .requestMatchers(HttpMethod.GET, "/api/v1/**").hasRole("AUDITOR")
                .anyRequest().denyAll();
    }
}
