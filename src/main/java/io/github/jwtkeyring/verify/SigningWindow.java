package io.github.jwtkeyring.verify;

import java.time.Duration;

import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyState;

/**
 * A key vouches only for what it could have signed: tokens dated within the time it signed, no longer-lived than the
 * longest token it ever issued. A leaked RETIRED key therefore mints no new tokens, a PENDING key's tokens are accepted
 * only while another node may already sign with it, and a forged long-lived token is refused.
 * <p>
 * In seconds, with {@code skew} the clock skew and {@code propagation} how long a node sharing the ring may still
 * work with an older ring (zero for one node):
 * <ul>
 * <li>{@code exp - iat} is at most the key's longest issued lifetime (rounded up to a second), and not negative;</li>
 * <li>{@code now - iat} is at most that lifetime plus the skew (implied today by the first rule and the {@code exp}
 * check, and kept so that the window holds on its own);</li>
 * <li>ACTIVE and RETIRED keys: {@code iat >= activates - skew}; RETIRED keys also
 * {@code iat <= retires + propagation + skew};</li>
 * <li>PENDING keys (ACTIVE elsewhere in a cluster, or the next period of derived HMAC keys):
 * {@code iat >= max(created, now - propagation) - skew}.</li>
 * </ul>
 */
final class SigningWindow {

    private SigningWindow() {
    }

    /**
     * Why a token of {@code key} issued at {@code iat} and expiring at {@code exp} cannot be one the key signed, or
     * {@code null} if it can.
     */
    static String violation(KeyMetadata key, long iat, long exp, long now, long skew, long propagation) {
        long longest = seconds(key.maxIssuedLifetime());
        if (exp - iat > longest || exp < iat) {
            return "its lifetime (" + (exp - iat) + " s) is not one key '" + key.kid() + "' issued (at most "
                    + longest + " s)";
        }
        if (now - iat > longest + skew) {
            return "it was issued " + (now - iat) + " s ago, longer than key '" + key.kid() + "' issues tokens for";
        }
        long from = key.state() == KeyState.PENDING
                ? Math.max(key.created().getEpochSecond(), now - propagation)
                : key.activates().getEpochSecond();
        if (iat < from - skew) {
            return "it is dated before key '" + key.kid() + "' (" + key.state() + ") could sign";
        }
        if (key.state() == KeyState.RETIRED && iat > key.retires().getEpochSecond() + propagation + skew) {
            return "it is dated after key '" + key.kid() + "' stopped signing";
        }
        return null;
    }

    private static long seconds(Duration duration) {
        return duration.getNano() == 0 ? duration.getSeconds() : duration.getSeconds() + 1;
    }
}
