package dev.verdict.servicekit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * How a JWT names Verdict's principal: who (the {@code principal} claim), with which roles (a list claim, values
 * such as MODERATOR), bound to which advertiser (for ADVERTISER accounts), and whether it is a person or a system.
 * The token's signature and issuer are checked by Spring Security's JWT decoder, configured with the standard
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties (VERDICT_JWT_ISSUER_URI or VERDICT_JWT_PUBLIC_KEY).
 */
@ConfigurationProperties("verdict.security.jwt")
public record JwtClaims(@DefaultValue("sub") String principal,
                        @DefaultValue("roles") String roles,
                        @DefaultValue("advertiser_id") String advertiser,
                        @DefaultValue("actor_type") String actorType) {

    /** The longest principal name: what the read models keep of who acted (decided_by, registered_by). */
    public static final int MAX_PRINCIPAL = 128;

    /**
     * The token as Verdict's principal. A token whose principal claim Verdict could not record as the actor of what it
     * does (absent, blank, longer than {@link #MAX_PRINCIPAL}, or with control characters) is an invalid credential:
     * 401, before anything is recorded without an actor or fails in the database.
     */
    public org.springframework.core.convert.converter.Converter<Jwt, AbstractAuthenticationToken> converter() {
        return jwt -> {
            String name = jwt.getClaimAsString(principal);
            if (name == null || name.isBlank() || name.length() > MAX_PRINCIPAL
                    || !new PlainText.Validator().isValid(name, null) || name.chars().anyMatch(c -> c < ' ')) {
                throw new InvalidBearerTokenException("the token's '" + principal + "' claim must name who acts: 1 to "
                        + MAX_PRINCIPAL + " characters, none of them control characters");
            }
            return new JwtAuthenticationToken(jwt, authorities(jwt), name);
        };
    }

    private Collection<GrantedAuthority> authorities(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        List<String> granted = jwt.hasClaim(roles) ? jwt.getClaimAsStringList(roles) : List.of();
        granted.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
        String advertiserId = jwt.getClaimAsString(advertiser);
        if (advertiserId != null && granted.contains("ADVERTISER")) {
            authorities.add(new SimpleGrantedAuthority(Principals.ADVERTISER_AUTHORITY_PREFIX + advertiserId));
        }
        if ("SYSTEM".equals(jwt.getClaimAsString(actorType))) {
            authorities.add(new SimpleGrantedAuthority(Principals.SYSTEM_ACTOR));
        }
        return authorities;
    }
}
