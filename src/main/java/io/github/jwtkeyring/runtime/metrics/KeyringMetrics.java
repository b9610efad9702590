package io.github.jwtkeyring.runtime.metrics;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.verify.RejectedTokenException;

/**
 * What the module counts and times. Gauges of the ring's state (keys per state, the next activation and destruction,
 * the ACTIVE key's age, ledger sizes, warnings) are read by the implementation itself when it is scraped.
 */
public interface KeyringMetrics {

    /** A token was signed with {@code algorithm}, taking {@code nanos}. */
    void issued(SigningAlgorithm algorithm, long nanos);

    /** A token was verified in full (not found in the verified-token cache) and accepted, taking {@code nanos}. */
    void verified(long nanos);

    /** A token was accepted from the verified-token cache. */
    void cacheHit();

    /** A token was rejected. */
    void rejected(RejectedTokenException.Reason reason);

    /** A refresh token was exchanged. */
    void refreshed();

    /** A refresh token was refused. */
    void refreshRefused(InvalidGrantException.Reason reason);

    /** Tokens were revoked. */
    void revoked(Revocation kind);

    /** A login failed: wrong credentials. */
    void loginFailed();

    /** A login was refused while its account or address is throttled. */
    void loginThrottled();

    /** The kinds of revocation, the values of the {@code kind} tag. */
    enum Revocation {
        /** One access token, by an administrator. */
        TOKEN,
        /** Every token of a subject, by an administrator. */
        SUBJECT,
        /** One session, by its caller's logout. */
        LOGOUT,
        /** Every token of the caller's subject, by the caller. */
        LOGOUT_ALL,
        /** A refresh family, because a superseded refresh token was used again. */
        REFRESH_REUSE
    }
}
