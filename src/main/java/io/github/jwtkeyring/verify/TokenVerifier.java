package io.github.jwtkeyring.verify;

import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * Verifies a compact access token against the ring: signature by the key its {@code kid} names, that key's algorithm,
 * {@code typ}, {@code iss}, {@code aud}, {@code exp}, {@code iat}, {@code sub} and {@code jti}, with time from the
 * injected clock. Headers that carry or point to key material ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c})
 * and critical extensions get the token rejected.
 */
public final class TokenVerifier {

    private static final List<String> KEY_CARRYING_HEADERS = List.of("jwk", "jku", "x5u", "x5c", "crit");
    private static final String[] ALGORITHMS = Arrays.stream(SigningAlgorithm.values())
            .map(SigningAlgorithm::joseName).toArray(String[]::new);

    /** jose4j appends the token itself to some messages; tokens are credentials and stay out of logs. */
    private static final Pattern ECHOED_TOKEN = Pattern.compile(":? ?JsonWebSignature\\{.*", Pattern.DOTALL);
    /** iat may lie any time in the past; exp bounds how old a token can be. */
    private static final int NO_PAST_LIMIT = 10 * 365 * 24 * 3600;

    private final RingKeyResolver resolver;
    private final InstantSource clock;
    private final VerificationPolicy policy;

    public TokenVerifier(KeyRingAccess ring, InstantSource clock, VerificationPolicy policy) {
        this.resolver = new RingKeyResolver(ring);
        this.clock = clock;
        this.policy = policy;
    }

    /**
     * Verifies {@code token}.
     *
     * @throws RejectedTokenException with the reason, for debug logs only
     */
    public JwtContext verify(String token) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(resolver)
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        ALGORITHMS))
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setAllowedClockSkewInSeconds((int) policy.clockSkew().toSeconds())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setIssuedAtRestrictions((int) policy.clockSkew().toSeconds(), NO_PAST_LIMIT)
                .setRequireSubject()
                .setRequireJwtId()
                .setExpectedIssuer(policy.issuer())
                .setExpectedAudience(policy.audience())
                .setExpectedType(true, policy.tokenType())
                .build();
        try {
            JwtContext context = consumer.process(token);
            rejectKeyCarryingHeaders(context);
            return context;
        } catch (InvalidJwtException e) {
            throw new RejectedTokenException(reason(e), null);
        }
    }

    /** Why jose4j refused the token, without echoing the token or its claims. */
    private static String reason(InvalidJwtException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root != e) {
            return root.getMessage();
        }
        return e.getErrorDetails().stream().map(detail -> "[" + detail.getErrorCode() + "] "
                + ECHOED_TOKEN.matcher(detail.getErrorMessage()).replaceFirst(""))
                .collect(Collectors.joining("; "));
    }

    private static void rejectKeyCarryingHeaders(JwtContext context) {
        for (JsonWebStructure structure : context.getJoseObjects()) {
            for (String header : KEY_CARRYING_HEADERS) {
                if (structure.getHeaders().getObjectHeaderValue(header) != null) {
                    throw new RejectedTokenException("the token carries a '" + header + "' header", null);
                }
            }
        }
    }
}
