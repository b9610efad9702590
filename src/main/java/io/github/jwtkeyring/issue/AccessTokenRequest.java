package io.github.jwtkeyring.issue;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * What to put in an access token.
 *
 * @param subject the {@code sub} (and {@code upn}) claim
 * @param groups the {@code groups} claim, which become the caller's roles
 * @param claims extra claims; registered claims the issuer sets itself are refused
 * @param lifetime a lifetime other than the configured default
 * @param sessionId the {@code sid} claim: the refresh-token family the token belongs to, so that revoking the family
 *        revokes the token
 */
public record AccessTokenRequest(String subject, Set<String> groups, Map<String, Object> claims,
        Optional<Duration> lifetime, Optional<String> sessionId) {

    /** The claims the issuer sets itself and a request may not override. */
    public static final Set<String> RESERVED_CLAIMS = Set.of("iss", "aud", "sub", "upn", "groups", "iat", "exp", "nbf",
            "jti", "sid");

    public AccessTokenRequest {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new KeyringException("An access token needs a non-blank subject.");
        }
        groups = Set.copyOf(groups);
        claims = Map.copyOf(claims);
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(sessionId, "sessionId");
        for (String name : claims.keySet()) {
            if (RESERVED_CLAIMS.contains(name)) {
                throw new KeyringException("The claim '" + name + "' is set by the issuer and cannot be requested.");
            }
        }
        if (lifetime.isPresent() && (lifetime.get().isNegative() || lifetime.get().isZero())) {
            throw new KeyringException("A token lifetime must be positive; " + lifetime.get() + " was asked for.");
        }
    }

    /** A token for {@code subject} with {@code groups}, the default lifetime and no extra claims. */
    public static AccessTokenRequest of(String subject, Set<String> groups) {
        return new AccessTokenRequest(subject, groups, Map.of(), Optional.empty(), Optional.empty());
    }

    /** This request with extra claims. */
    public AccessTokenRequest withClaims(Map<String, Object> extra) {
        return new AccessTokenRequest(subject, groups, extra, lifetime, sessionId);
    }

    /** This request with its own lifetime. */
    public AccessTokenRequest withLifetime(Duration newLifetime) {
        return new AccessTokenRequest(subject, groups, claims, Optional.of(newLifetime), sessionId);
    }

    /** This request for a token of the refresh-token family {@code familyId}. */
    public AccessTokenRequest withSession(String familyId) {
        return new AccessTokenRequest(subject, groups, claims, lifetime, Optional.of(familyId));
    }
}
