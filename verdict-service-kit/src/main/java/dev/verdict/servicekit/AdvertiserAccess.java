package dev.verdict.servicekit;

import java.util.Arrays;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Authorization for paths about one advertiser ({@code {advertiserId}} in the pattern): staff with one of the given
 * roles, or an ADVERTISER account bound to exactly that advertiser. Checked before the request body is even read, so
 * an advertiser account gets 403 for another advertiser whatever it sends.
 */
public final class AdvertiserAccess implements AuthorizationManager<RequestAuthorizationContext> {

    private final String[] staffRoles;

    private AdvertiserAccess(String[] staffRoles) {
        this.staffRoles = staffRoles;
    }

    public static AdvertiserAccess staffOrOwner(String... staffRoles) {
        return new AdvertiserAccess(staffRoles);
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                         RequestAuthorizationContext context) {
        Authentication principal = authentication.get();
        if (principal == null || !principal.isAuthenticated()
                || principal instanceof org.springframework.security.authentication.AnonymousAuthenticationToken) {
            return new AuthorizationDecision(false);
        }
        if (Arrays.stream(staffRoles).anyMatch(role -> Principals.hasRole(principal, role))) {
            return new AuthorizationDecision(true);
        }
        String advertiserId = context.getVariables().get("advertiserId");
        return new AuthorizationDecision(Principals.hasRole(principal, "ADVERTISER") && advertiserId != null
                && Principals.boundAdvertiser(principal).filter(advertiserId::equals).isPresent());
    }
}
