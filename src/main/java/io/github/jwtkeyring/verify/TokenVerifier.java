package io.github.jwtkeyring.verify;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.KeyringException;
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

    private static final AlgorithmConstraints ALGORITHM_CONSTRAINTS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS);

    /** A consumer built for one second of the clock. */
    private record ConsumerOfSecond(long second, JwtConsumer consumer) {
    }

    private final RingKeyResolver resolver;
    private final InstantSource clock;
    private final VerificationPolicy policy;
    private final ExpectedType typeCheck;
    /** Replaced at most once a second; a race builds one consumer too many, never a wrong one. */
    private volatile ConsumerOfSecond current;

    public TokenVerifier(KeyRingAccess ring, InstantSource clock, VerificationPolicy policy) {
        this.resolver = new RingKeyResolver(ring);
        this.clock = clock;
        this.policy = policy;
        this.typeCheck = new ExpectedType(policy.tokenType());
    }

    /**
     * Verifies {@code token}.
     *
     * @throws RejectedTokenException with the reason, for debug logs only
     */
    public JwtContext verify(String token) {
        try {
            JwtContext context = consumer().process(token);
            rejectKeyCarryingHeaders(context);
            return context;
        } catch (InvalidJwtException e) {
            throw new RejectedTokenException(reason(e), null);
        }
    }

    /**
     * Whether {@code token}, read without any verification, names the policy's issuer in {@code iss}; a token that
     * cannot be read counts as naming it, so that it meets the ring's verification (and its uniform rejection). Only
     * for choosing which verification a token gets, never for accepting one.
     */
    public boolean claimsPolicyIssuer(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return true;
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(token.substring(first + 1, second)),
                    StandardCharsets.UTF_8);
            Object issuer = JsonUtil.parseJson(payload).get("iss");
            return issuer == null || policy.issuer().equals(issuer);
        } catch (JoseException | IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * The consumer for the clock's current second. jose4j evaluates {@code exp}, {@code iat} and {@code nbf} in whole
     * seconds, so one consumer serves every token of a second exactly as a new one per token would; it is immutable
     * once built, and building one per request was a measurable part of a cache miss.
     */
    private JwtConsumer consumer() {
        long second = Math.floorDiv(clock.millis(), 1000L);
        ConsumerOfSecond current = this.current;
        if (current == null || current.second() != second) {
            current = new ConsumerOfSecond(second, build(second));
            this.current = current;
        }
        return current.consumer();
    }

    private JwtConsumer build(long second) {
        int skew = (int) policy.clockSkew().toSeconds();
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(resolver)
                .setJwsAlgorithmConstraints(ALGORITHM_CONSTRAINTS)
                .setEvaluationTime(NumericDate.fromSeconds(second))
                .setAllowedClockSkewInSeconds(skew)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setIssuedAtRestrictions(skew, NO_PAST_LIMIT)
                .setRequireSubject()
                .setRequireJwtId()
                .setExpectedIssuer(policy.issuer())
                .setExpectedAudience(policy.audience())
                .registerValidator(typeCheck)
                .build();
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

    /**
     * The {@code typ} header check, with the expected media type worked out once: RFC 7515 §4.1.9 compares media types
     * case-insensitively and lets {@code application/} be left out, so {@code at+jwt} also accepts
     * {@code application/at+jwt} and {@code AT+JWT}. jose4j's own check parses both media types on every token.
     */
    static final class ExpectedType implements ErrorCodeValidator {

        private static final String APPLICATION = "application/";

        private final String full;
        /** {@link #full} without {@code application/}, or null when the type is not an application type. */
        private final String shortForm;

        ExpectedType(String type) {
            if (type == null || type.isBlank() || type.indexOf(';') >= 0 || type.indexOf('*') >= 0) {
                throw new KeyringException("The expected token type must be a media type without parameters or "
                        + "wildcards, such as at+jwt; it is '" + type + "'.");
            }
            this.full = type.indexOf('/') >= 0 ? type : APPLICATION + type;
            this.shortForm = full.regionMatches(true, 0, APPLICATION, 0, APPLICATION.length())
                    ? full.substring(APPLICATION.length())
                    : null;
        }

        @Override
        public Error validate(JwtContext context) {
            String typ = context.getJoseObjects().get(0).getHeader("typ");
            if (typ == null) {
                return new Error(ErrorCodes.TYPE_MISSING, "the token has no typ header");
            }
            if (typ.equalsIgnoreCase(full) || (shortForm != null && typ.equalsIgnoreCase(shortForm))) {
                return null;
            }
            return new Error(ErrorCodes.TYPE_INVALID, "typ '" + typ + "' is not '" + full + "'");
        }
    }
}
