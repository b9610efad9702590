package io.github.jwtkeyring.issue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SecureRandoms;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.RefreshFamily;

/**
 * Logins and refreshes: an access token plus a rotating refresh token (RFC 6749 §6, with the rotation and reuse
 * detection of the OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
 * <p>
 * A refresh token is 256 random bits, base64url-encoded; the ledger stores only its SHA-256 hash, with its family, its
 * generation and its expiry. Each refresh replaces the token with the next generation; presenting an older generation
 * again revokes the whole family, including the access tokens it produced (they carry its id as {@code sid}).
 */
public final class RefreshTokens {

    private static final Logger LOG = Logger.getLogger(RefreshTokens.class);
    /** Created with each instance, at run time: a static one would be seeded while a native image is built. */
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int TOKEN_BYTES = 32;
    /** 32 bytes in unpadded base64url: what this class issues, and all it will look up. */
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final TokenIssuer issuer;
    private final RefreshFamilies families;

    public RefreshTokens(TokenIssuer issuer, RefreshFamilies families) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.families = Objects.requireNonNull(families, "families");
    }

    /**
     * Begins a refresh family for {@code subject} and returns its first access and refresh tokens. If the ledger cannot
     * record the family (its store is unreachable), the login still succeeds with an access token alone, as RFC 6749
     * §5.1 allows; the client logs in again when it expires.
     */
    public TokenPair login(String subject, Set<String> groups) {
        String refreshToken = randomToken();
        try {
            // the access token is signed while the ledger makes the family durable
            return families.start(randomId(), subject, groups, hash(refreshToken), family -> pair(family, refreshToken));
        } catch (StoreException e) {
            LOG.warnf("Login of '%s' gets no refresh token: the token ledger cannot record it (%s)", subject,
                    e.getMessage());
            return new TokenPair(issuer.issue(AccessTokenRequest.of(subject, groups)), null, null);
        }
    }

    /**
     * Exchanges {@code refreshToken} for a new access token and the next refresh token.
     *
     * @throws InvalidGrantException if the token is malformed, unknown, expired, superseded or revoked
     */
    public TokenPair refresh(String refreshToken) {
        if (refreshToken == null || !TOKEN_SHAPE.matcher(refreshToken).matches()) {
            throw new InvalidGrantException(InvalidGrantException.Reason.UNKNOWN,
                    "The refresh token is not one this server issues.");
        }
        String presented = hash(refreshToken);
        RefreshFamily current = families.familyOf(presented);
        // signed before the exchange is recorded: a key that cannot sign now (a token that is unreachable) leaves the
        // presented refresh token valid for the retry, instead of superseding it with one the client never got
        IssuedToken access = issue(current);
        String next = randomToken();
        RefreshFamily family = families.exchange(presented, hash(next));
        return new TokenPair(access, next, family.expiresAt());
    }

    private IssuedToken issue(RefreshFamily family) {
        return issuer.issue(AccessTokenRequest.of(family.subject(), family.groups()).withSession(family.id()));
    }

    private TokenPair pair(RefreshFamily family, String refreshToken) {
        return new TokenPair(issue(family), refreshToken, family.expiresAt());
    }

    private String randomToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        SecureRandoms.forThisThread().nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    private String randomId() {
        byte[] bytes = new byte[16];
        SecureRandoms.forThisThread().nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    /** The base64url SHA-256 of a refresh token: all the ledger ever sees of it. */
    static String hash(String refreshToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(refreshToken.getBytes(StandardCharsets.US_ASCII));
            return B64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new KeyringException("SHA-256 is missing from this JDK.", e);
        }
    }
}
