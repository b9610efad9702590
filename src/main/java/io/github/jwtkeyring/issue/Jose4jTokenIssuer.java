package io.github.jwtkeyring.issue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SecureRandoms;

/**
 * Issues access tokens as compact JWS (RFC 7515 §7.1): the claims written by jose4j's JSON writer, the library
 * SmallRye JWT reads them with, and the signature computed by the ACTIVE key's own material, so that a key held on a
 * PKCS#11 token signs on the token.
 */
public final class Jose4jTokenIssuer implements TokenIssuer {

    /** Created with each instance, at run time: a static one would be seeded while a native image is built. */
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

        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.algorithm().joseName());
        header.put("kid", key.kid());
        header.put("typ", ACCESS_TOKEN_TYPE);
        String signingInput = B64URL.encodeToString(JsonUtil.toJson(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8));
        byte[] signature = key.requireMaterial().sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return new IssuedToken(signingInput + "." + B64URL.encodeToString(signature), key.kid(), key.algorithm(), jti,
                issuedAt, expiresAt);
    }

    private String newJti() {
        byte[] bytes = new byte[16];
        SecureRandoms.forThisThread().nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }
}
