package dev.verdict.servicekit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The security both services share: stateless, no CSRF (no cookies, no browser sessions), problem+json for 401 and
 * 403, the body cap before authentication. Each service passes its own authorization rules, which hold whatever
 * authenticated the caller: HTTP Basic against the local users (profile {@code local}), or signed JWTs elsewhere.
 */
public final class ApiSecurity {

    public static final long MAX_BODY_BYTES = 1024 * 1024;

    /**
     * The web pages under {@code /ui/} load only their own scripts and styles and call only their own service: no
     * inline script, no third party, no framing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** A service's authorization rules. */
    public interface Rules extends
            Customizer<AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry> {
    }

    private ApiSecurity() {
    }

    /** Profile {@code local}: HTTP Basic against {@link LocalUsers}. */
    public static SecurityFilterChain localBasic(HttpSecurity http, Rules rules) throws Exception {
        var provider = LocalUsers.cachingProvider(LocalUsers.userDetailsService(), Duration.ofMinutes(5));
        return common(http)
                .authenticationManager(new ProviderManager(provider))
                .authorizeHttpRequests(r -> rules.customize(publicEndpoints(r)))
                .httpBasic(basic -> basic.authenticationEntryPoint(ApiSecurity::unauthenticated))
                .build();
    }

    /**
     * Production: an OAuth2 resource server. With a JWT decoder configured (see {@link JwtClaims}), callers present
     * signed bearer tokens and the same rules apply. Without one, every API request is refused with 401 (health
     * stays readable for orchestrators): there is no default user.
     */
    public static SecurityFilterChain jwt(HttpSecurity http, Rules rules, JwtDecoder decoder, JwtClaims claims)
            throws Exception {
        if (decoder == null) {
            return common(http)
                    .authorizeHttpRequests(r -> publicEndpoints(r).anyRequest().denyAll())
                    .build();
        }
        return common(http)
                .authorizeHttpRequests(r -> rules.customize(publicEndpoints(r)))
                .oauth2ResourceServer(server -> server
                        .authenticationEntryPoint(ApiSecurity::unauthenticated)
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(claims.converter())))
                .build();
    }

    /**
     * What any caller may read, whatever the profile: health (for orchestrators), the Prometheus scrape (counts, no
     * personal data; keep it off the public ingress), and the API's own documentation.
     */
    private static AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
            publicEndpoints(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry r) {
        return r.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                        "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                .permitAll();
    }

    private static HttpSecurity common(HttpSecurity http) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .addFilterBefore(new BodySizeLimitFilter(MAX_BODY_BYTES), BasicAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(ApiSecurity::unauthenticated)
                        .accessDeniedHandler((request, response, e) -> {
                            if (request.getUserPrincipal() == null) {
                                unauthenticated(request, response, null);
                            } else {
                                Problems.write(response, HttpStatus.FORBIDDEN, "forbidden", "your roles do not allow this");
                            }
                        }));
    }

    /**
     * 401 with the scheme to use. The web pages ask with {@code X-Requested-With: XMLHttpRequest} and get no Basic
     * challenge, so that the browser does not open its own password dialog over the page's sign-in form.
     */
    private static void unauthenticated(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException e) throws IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.startsWith("Bearer")) {
            response.setHeader("WWW-Authenticate", "Bearer");
        } else if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"verdict\"");
        }
        Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "valid credentials are required");
    }
}
