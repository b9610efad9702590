package io.github.jwtkeyring.revocation;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How long the {@link TokenLedger} keeps what it records.
 *
 * @param clockSkew the clock difference verifiers tolerate; a token is accepted until {@code exp} plus this
 * @param refreshLifetime the lifetime of each refresh token
 * @param longestAccessLifetime the longest lifetime of any access token issued so far (read when needed, because it
 *        grows as the ring records longer lifetimes)
 */
public record LedgerSettings(Duration clockSkew, Duration refreshLifetime, Supplier<Duration> longestAccessLifetime) {

    public LedgerSettings {
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(refreshLifetime, "refreshLifetime");
        Objects.requireNonNull(longestAccessLifetime, "longestAccessLifetime");
    }
}
