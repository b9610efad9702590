package io.github.jwtkeyring.issue;

/**
 * Issues signed access tokens with the ring's ACTIVE key. Inject it with {@code @Inject TokenIssuer}.
 * <p>
 * Every token carries {@code iss}, {@code aud}, {@code sub}, {@code upn}, {@code groups}, {@code iat}, {@code exp}
 * and a unique {@code jti}, plus {@code sid} when the token belongs to a refresh-token family; its header carries the
 * {@code kid} and {@code alg} of the ACTIVE key and
 * {@code typ: at+jwt} (RFC 9068 §2.1).
 */
public interface TokenIssuer {

    /** The {@code typ} header of access tokens (RFC 9068 §2.1). */
    String ACCESS_TOKEN_TYPE = "at+jwt";

    /** The claim naming the refresh-token family (session) of a token, as OpenID Connect names sessions. */
    String SESSION_ID_CLAIM = "sid";

    /**
     * Signs an access token.
     *
     * @throws io.github.jwtkeyring.keys.KeyringException if the request asks for a reserved claim
     */
    IssuedToken issue(AccessTokenRequest request);
}
