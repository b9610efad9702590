package io.github.jwtkeyring.runtime.jwt;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.runtime.config.KeyringConfig;
import io.github.jwtkeyring.runtime.config.KeyringSettings;
import io.github.jwtkeyring.runtime.metrics.KeyringMetrics;
import io.github.jwtkeyring.runtime.metrics.NoKeyringMetrics;
import io.github.jwtkeyring.verify.AdmissionCheck;
import io.github.jwtkeyring.verify.RejectedTokenException;
import io.github.jwtkeyring.verify.TokenVerifier;
import io.github.jwtkeyring.verify.VerifiedToken;
import io.github.jwtkeyring.verify.VerifiedTokenCache;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.auth.principal.PrincipalUtils;

/**
 * Replaces SmallRye JWT's parser factory so that every bearer token is verified against the key ring. SmallRye's
 * {@code MpJwtValidator} and {@code JWTAuthMechanism} stay in place, so roles, {@code @RolesAllowed} and
 * {@code @Inject JsonWebToken} behave as in any SmallRye JWT application. Tokens of the ring's issuer are verified by
 * the ring only; tokens of other issuers are rejected, or, with {@code keyring.verify.other-issuers=delegate}, handed to
 * SmallRye JWT's own parser and the application's {@code mp.jwt.verify.*} settings.
 */
@Singleton
@Alternative
@Priority(1)
public class KeyringCallerPrincipalFactory extends JWTCallerPrincipalFactory {

    private static final Logger LOG = Logger.getLogger(KeyringCallerPrincipalFactory.class);

    private final TokenVerifier verifier;
    private final VerifiedTokenCache<JWTCallerPrincipal> cache;
    private final AdmissionCheck admission;
    /** SmallRye JWT's own parser for other issuers' tokens, or {@code null} to reject them. */
    private final JWTCallerPrincipalFactory otherIssuers;
    private final KeyringMetrics metrics;

    @Inject
    public KeyringCallerPrincipalFactory(TokenVerifier verifier, VerifiedTokenCache<JWTCallerPrincipal> cache,
            AdmissionCheck admission, KeyringSettings settings, KeyringMetrics metrics) {
        this(verifier, cache, admission, settings.otherIssuers() == KeyringConfig.OtherIssuers.DELEGATE
                ? new DefaultJWTCallerPrincipalFactory()
                : null, metrics);
    }

    /** A factory without metrics. */
    public KeyringCallerPrincipalFactory(TokenVerifier verifier, VerifiedTokenCache<JWTCallerPrincipal> cache,
            AdmissionCheck admission, JWTCallerPrincipalFactory otherIssuers) {
        this(verifier, cache, admission, otherIssuers, new NoKeyringMetrics());
    }

    /**
     * @param otherIssuers the parser of tokens whose {@code iss} is not the ring's; {@code null} rejects them
     * @param metrics where outcomes are counted
     */
    public KeyringCallerPrincipalFactory(TokenVerifier verifier, VerifiedTokenCache<JWTCallerPrincipal> cache,
            AdmissionCheck admission, JWTCallerPrincipalFactory otherIssuers, KeyringMetrics metrics) {
        this.verifier = verifier;
        this.cache = cache;
        this.admission = admission;
        this.otherIssuers = otherIssuers;
        this.metrics = metrics;
    }

    /**
     * The caller principal of {@code token}: from the verified-token cache if this exact token was verified before and
     * its key still verifies, otherwise after full verification; and in both cases only if the admission check (the
     * revocation lists) lets it in.
     */
    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        if (!verifier.withinSizeLimit(token)) {
            LOG.debug("Token rejected: longer than keyring.verify.max-token-bytes");
            throw rejected(RejectedTokenException.Reason.MALFORMED);
        }
        JWTCallerPrincipal principal = cache.get(token);
        boolean cached = principal != null;
        long started = cached ? 0 : System.nanoTime();
        if (!cached) {
            if (otherIssuers != null && !verifier.claimsPolicyIssuer(token)) {
                return otherIssuer(token, authContextInfo);
            }
            principal = verified(token, authContextInfo);
        }
        Optional<String> rejection = admission.rejection(principal);
        if (rejection.isPresent()) {
            LOG.debugf("Token rejected: %s", rejection.get());
            throw rejected(RejectedTokenException.Reason.REVOKED);
        }
        if (cached) {
            metrics.cacheHit();
        } else {
            metrics.verified(System.nanoTime() - started);
        }
        return principal;
    }

    /**
     * A token that names another issuer, verified by SmallRye JWT's own parser with the application's
     * {@code mp.jwt.verify.*} settings. The ring's revocations do not apply to it.
     */
    private JWTCallerPrincipal otherIssuer(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        try {
            return otherIssuers.parse(token, authContextInfo);
        } catch (ParseException | RuntimeException e) {
            LOG.debugf("Token of another issuer rejected by SmallRye JWT's own verification: %s",
                    e.getClass().getSimpleName());
            throw rejected(RejectedTokenException.Reason.OTHER_ISSUER);
        }
    }

    /** The one answer for every rejected token; the challenge of its 401 becomes {@code invalid_token}. */
    private ParseException rejected(RejectedTokenException.Reason reason) {
        metrics.rejected(reason);
        BearerRequests.markRejected();
        return new ParseException("Token rejected");
    }

    private JWTCallerPrincipal verified(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        try {
            VerifiedToken verified = verifier.verify(token);
            PrincipalUtils.setClaims(verified.claims(), token, authContextInfo);
            JWTCallerPrincipal principal = new KeyringCallerPrincipal(verified.type(), verified.claims());
            cache.put(token, principal, verified.kid(), verified.expires());
            return principal;
        } catch (RejectedTokenException e) {
            LOG.debug(e.getMessage());
            throw rejected(e.reason());
        } catch (RuntimeException | StackOverflowError e) {
            // claims the principal cannot take (only a key holder can sign them) get the same answer as the rest
            LOG.debugf("Token rejected: %s", e.getClass().getName());
            throw rejected(RejectedTokenException.Reason.CLAIMS);
        }
    }
}
