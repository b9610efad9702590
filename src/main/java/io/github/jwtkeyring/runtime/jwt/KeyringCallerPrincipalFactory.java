package io.github.jwtkeyring.runtime.jwt;

import java.time.Instant;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

import io.github.jwtkeyring.verify.AdmissionCheck;
import io.github.jwtkeyring.verify.RejectedTokenException;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerifiedTokenCache;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.auth.principal.PrincipalUtils;

/**
 * Replaces SmallRye JWT's parser factory so that every bearer token is verified against the key ring. SmallRye's
 * {@code MpJwtValidator} and {@code JWTAuthMechanism} stay in place, so roles, {@code @RolesAllowed} and
 * {@code @Inject JsonWebToken} behave as in any SmallRye JWT application; keys configured with
 * {@code mp.jwt.verify.publickey*} (including Quarkus's generated dev keys) are never used.
 */
@Singleton
@Alternative
@Priority(1)
public class KeyringCallerPrincipalFactory extends JWTCallerPrincipalFactory {

    private static final Logger LOG = Logger.getLogger(KeyringCallerPrincipalFactory.class);

    private final TokenVerifier verifier;
    private final VerifiedTokenCache<JWTCallerPrincipal> cache;
    private final AdmissionCheck admission;

    @Inject
    public KeyringCallerPrincipalFactory(TokenVerifier verifier, VerifiedTokenCache<JWTCallerPrincipal> cache,
            AdmissionCheck admission) {
        this.verifier = verifier;
        this.cache = cache;
        this.admission = admission;
    }

    /**
     * The caller principal of {@code token}: from the verified-token cache if this exact token was verified before and
     * its key still verifies, otherwise after full verification; and in both cases only if the admission check (the
     * revocation lists) lets it in.
     */
    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JWTCallerPrincipal principal = cache.get(token);
        if (principal == null) {
            principal = verified(token, authContextInfo);
        }
        Optional<String> rejection = admission.rejection(principal);
        if (rejection.isPresent()) {
            LOG.debugf("Token rejected: %s", rejection.get());
            throw new ParseException("Token rejected");
        }
        return principal;
    }

    private JWTCallerPrincipal verified(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JwtContext context;
        try {
            context = verifier.verify(token);
        } catch (RejectedTokenException e) {
            LOG.debug(e.getMessage());
            throw new ParseException("Token rejected");
        } catch (RuntimeException e) {
            LOG.debugf("Token rejected: %s", e.toString());
            throw new ParseException("Token rejected");
        }
        JwtClaims claims = context.getJwtClaims();
        PrincipalUtils.setClaims(claims, token, authContextInfo);
        JsonWebStructure jws = context.getJoseObjects().get(0);
        JWTCallerPrincipal principal = new KeyringCallerPrincipal(jws.getHeader("typ"), claims);
        try {
            cache.put(token, principal, jws.getKeyIdHeaderValue(),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (MalformedClaimException e) {
            // verification required a numeric exp; without one there is nothing to cache
        }
        return principal;
    }
}
