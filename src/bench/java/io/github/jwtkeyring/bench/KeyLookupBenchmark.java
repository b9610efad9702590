package io.github.jwtkeyring.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * Finding a token's key by {@code kid} in rings of 2, 100 and 10,000 keys: one ACTIVE key, the rest RETIRED (HS256,
 * whose material is cheap to make), looked up for a kid in the middle of the ring, held in a string of its own as a
 * parsed token's kid is.
 * <ul>
 * <li>{@code verifying}: {@link KeyRing#verifying}, the map lookup and state check;</li>
 * <li>{@code verifyingUnknown}: the same for a kid the ring never held (a forged or foreign token);</li>
 * <li>{@code resolver}: what verification calls, the verify package's {@code RingKeyResolver}: the lookup in the ring
 * read through {@link KeyRingAccess#current()} and the algorithm check. The resolver is package-private, so it is
 * found once reflectively and called through a method handle.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class KeyLookupBenchmark {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Param({ "2", "100", "10000" })
    public int keys;

    private KeyRing ring;
    private String kid;
    private String unknownKid;
    private KeyRingAccess access;
    private MethodHandle resolver;

    @Setup
    public void setUp() throws Throwable {
        SecureRandom random = new SecureRandom();
        ring = ring(keys, random);
        // a token's kid is a string of its own, parsed from its header, not the ring's instance
        kid = new String(ring.keys().get(keys / 2).kid().toCharArray());
        unknownKid = newKid(random);
        access = new FixedRing(ring);
        resolver = ringKeyResolver();
        if (verifying().isEmpty() || verifyingUnknown().isPresent() || resolver() == null) {
            throw new IllegalStateException("The ring of " + keys + " keys does not look up as expected.");
        }
    }

    /** {@code count - 1} RETIRED keys, oldest first, then the ACTIVE one. */
    private static KeyRing ring(int count, SecureRandom random) {
        JdkKeyGenerator generator = new JdkKeyGenerator(random, 2048);
        List<ManagedKey> ringKeys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean active = i == count - 1;
            Instant activates = T0.plus(Duration.ofDays(i));
            KeyMetadata metadata = new KeyMetadata(newKid(random), SigningAlgorithm.HS256,
                    active ? KeyState.ACTIVE : KeyState.RETIRED, activates.minus(Duration.ofHours(1)), activates,
                    activates.plus(Duration.ofDays(1)), active ? null : T0.plus(Duration.ofDays(count + 1)), null,
                    Rings.LIFETIME);
            ringKeys.add(new ManagedKey(metadata, generator.generate(SigningAlgorithm.HS256)));
        }
        return new KeyRing(1, ringKeys);
    }

    /** A kid of the form the ring gives HMAC keys. */
    private static String newKid(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "hs-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static MethodHandle ringKeyResolver() throws ReflectiveOperationException {
        Method resolve = Class.forName("io.github.jwtkeyring.verify.RingKeyResolver")
                .getDeclaredMethod("resolve", KeyRing.class, String.class, String.class);
        resolve.setAccessible(true);
        return MethodHandles.lookup().unreflect(resolve);
    }

    @Benchmark
    public Optional<ManagedKey> verifying() {
        return ring.verifying(kid);
    }

    @Benchmark
    public Optional<ManagedKey> verifyingUnknown() {
        return ring.verifying(unknownKid);
    }

    @Benchmark
    public ManagedKey resolver() throws Throwable {
        return (ManagedKey) resolver.invokeExact(access.current(), kid, "HS256");
    }

    /** A ring that never changes, read through an atomic reference as the ring managers hold theirs. */
    private static final class FixedRing implements KeyRingAccess {

        private final AtomicReference<KeyRing> ring;

        FixedRing(KeyRing ring) {
            this.ring = new AtomicReference<>(ring);
        }

        @Override
        public KeyRing current() {
            return ring.get();
        }

        @Override
        public ManagedKey signingKey(Duration lifetime) {
            return current().active();
        }
    }
}
