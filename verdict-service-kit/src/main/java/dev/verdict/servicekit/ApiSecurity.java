package dev.verdict.servicekit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The security both services share: stateless, no CSRF (no cookies, no browser sessions), problem+json for 401 and
 * 403, the body cap before authentication, HTTP Basic against the local users. Each service passes its own
 * authorization rules.
 */
public final class ApiSecurity {

    public static final long MAX_BODY_BYTES = 1024 * 1024;

    private ApiSecurity() {
    }

    public static SecurityFilterChain localBasic(HttpSecurity http,
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> rules)
            throws Exception {
        var provider = LocalUsers.cachingProvider(LocalUsers.userDetailsService(), Duration.ofMinutes(5));
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authenticationManager(new ProviderManager(provider))
                .addFilterBefore(new BodySizeLimitFilter(MAX_BODY_BYTES), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(rules)
                .httpBasic(basic -> basic.authenticationEntryPoint(ApiSecurity::unauthenticated))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(ApiSecurity::unauthenticated)
                        .accessDeniedHandler((request, response, e) -> Problems.write(response, HttpStatus.FORBIDDEN,
                                "forbidden", "your roles do not allow this")))
                .build();
    }

    /**
     * Outside the local profile no local user exists. Until a JWT issuer is configured (the production
     * authentication), every API request is refused with 401; health stays readable for orchestrators.
     */
    public static SecurityFilterChain noLocalUsers(HttpSecurity http) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new BodySizeLimitFilter(MAX_BODY_BYTES), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(rules -> rules
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(ApiSecurity::unauthenticated)
                        .accessDeniedHandler((request, response, e) -> unauthenticated(request, response, null)))
                .build();
    }

    private static void unauthenticated(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException e) throws IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"verdict\"");
        Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "valid credentials are required");
    }
}
