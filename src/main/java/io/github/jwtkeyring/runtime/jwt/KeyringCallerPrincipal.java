package io.github.jwtkeyring.runtime.jwt;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * SmallRye JWT's caller principal, told apart from a claim of its own without an exception. SmallRye finds out whether
 * a claim name is one of MicroProfile's {@link Claims} with {@code Claims.valueOf}, so reading any other claim (the
 * key ring's {@code sid} on every request, or an application's own claims) builds and throws an
 * {@link IllegalArgumentException} with a full stack trace; here it is a map lookup. Everything else is SmallRye's.
 */
final class KeyringCallerPrincipal extends DefaultJWTCallerPrincipal {

    private static final Map<String, Claims> CLAIMS = Arrays.stream(Claims.values())
            .collect(Collectors.toUnmodifiableMap(Claims::name, Function.identity()));

    KeyringCallerPrincipal(String tokenType, JwtClaims claims) {
        super(tokenType, claims);
    }

    @Override
    protected Claims getClaimType(String claimName) {
        return CLAIMS.getOrDefault(claimName, Claims.UNKNOWN);
    }
}
