package io.github.jwtkeyring.issue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;

/**
 * Signs access tokens with jose4j, the library SmallRye JWT verifies with.
 */
public final class Jose4jTokenIssuer implements TokenIssuer {

    /** Created with each instance, at run time: a static one would be seeded while a native image is built. */
    private final SecureRandom random = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyRingAccess ring;
    private final InstantSource clock;
    private final IssuerSettings settings;

    public Jose4jTokenIssuer(KeyRingAccess ring, InstantSource clock, IssuerSettings settings) {
        this.ring = ring;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    public IssuedToken issue(AccessTokenRequest request) {
        Duration lifetime = request.lifetime().orElse(settings.defaultLifetime());
        ManagedKey key = ring.signingKey(lifetime);
        Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expiresAt = issuedAt.plus(lifetime);
        String jti = newJti();

        JwtClaims claims = new JwtClaims();
        claims.setIssuer(settings.issuer());
        claims.setAudience(settings.audience());
        claims.setSubject(request.subject());
        claims.setClaim("upn", request.subject());
        claims.setStringListClaim("groups", new ArrayList<>(request.groups()));
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(jti);
        request.sessionId().ifPresent(sid -> claims.setClaim(SESSION_ID_CLAIM, sid));
        request.claims().forEach(claims::setClaim);

        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(key.algorithm().joseName());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", ACCESS_TOKEN_TYPE);
        jws.setKey(key.requireMaterial().signingKey());
        try {
            return new IssuedToken(jws.getCompactSerialization(), key.kid(), key.algorithm(), jti, issuedAt,
                    expiresAt);
        } catch (JoseException e) {
            throw new KeyringException("Key '" + key.kid() + "' could not sign an " + key.algorithm() + " token.", e);
        }
    }

    private String newJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }
}
