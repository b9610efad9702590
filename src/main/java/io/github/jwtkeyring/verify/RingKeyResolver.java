package io.github.jwtkeyring.verify;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;

/**
 * Finds the key of a token by its {@code kid} in a ring: only PENDING, ACTIVE and RETIRED keys, and only when the
 * token's {@code alg} is the key's own algorithm. Never takes key material from the token.
 */
final class RingKeyResolver {

    private RingKeyResolver() {
    }

    /**
     * The key {@code kid} names in {@code ring}, if it verifies and signs with {@code alg}.
     *
     * @throws RejectedTokenException otherwise
     */
    static ManagedKey resolve(KeyRing ring, String kid, String alg) {
        ManagedKey key = ring.verifying(kid).orElseThrow(
                () -> new RejectedTokenException(RejectedTokenException.Reason.UNKNOWN_KEY,
                        "kid " + RejectedTokenException.quote(kid) + " is unknown, DESTROYED or "
                                + "REVOKED",
                        null));
        if (!key.algorithm().joseName().equals(alg)) {
            throw new RejectedTokenException(RejectedTokenException.Reason.UNKNOWN_KEY,
                    "kid '" + kid + "' is an " + key.algorithm() + " key but the token says "
                            + RejectedTokenException.quote(alg),
                    null);
        }
        return key;
    }
}
