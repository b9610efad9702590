package io.github.jwtkeyring.keys;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A {@link SecureRandom} for each thread, for what every request draws: token ids, refresh tokens, signature nonces.
 * The JDK's default generator on Linux ({@code NativePRNG}) mixes every caller's bytes under one process-wide lock,
 * which concurrent logins queued for; each thread here has a DRBG instance of its own (NIST SP 800-90A, seeded by the
 * JDK from the operating system's entropy when it is created), so no request waits for another's. Instances are
 * created on first use at run time, never at build time.
 */
public final class SecureRandoms {

    private static final ThreadLocal<SecureRandom> PER_THREAD = ThreadLocal.withInitial(SecureRandoms::create);

    private SecureRandoms() {
    }

    /** This thread's generator; not to be handed to another thread. */
    public static SecureRandom forThisThread() {
        return PER_THREAD.get();
    }

    private static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom(); // a JDK without DRBG (none supported here): its default
        }
    }
}
