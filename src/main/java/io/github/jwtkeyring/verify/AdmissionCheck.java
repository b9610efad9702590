package io.github.jwtkeyring.verify;

import java.util.Optional;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A check every access token must pass on every request, after its signature and claims have verified (or it came
 * from the verified-token cache): revocation, for one. It runs on the caller's thread, the event loop included, so it
 * must answer from memory without I/O.
 */
@FunctionalInterface
public interface AdmissionCheck {

    /** Admits every token. */
    AdmissionCheck ADMIT_ALL = token -> Optional.empty();

    /**
     * Why {@code token} must be refused, for debug logs only (never the token itself); empty to admit it.
     */
    Optional<String> rejection(JsonWebToken token);
}
