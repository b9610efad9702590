package io.github.jwtkeyring.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.store.memory.MemoryLedgerJournal;

/**
 * A token ledger holding many revoked access tokens, as a busy service keeps them: one {@code jti} per token, each
 * kept until its own {@code exp} plus the clock skew, and the heap they take. The jtis look like the issuer's (16
 * random bytes, base64url) but come from a seeded generator, so that a million of them are made in about a second.
 */
final class RevokedJtis {

    static final int COUNT = 1_000_000;
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    final TokenLedger ledger;
    /** Jtis the ledger holds, spread evenly over the fill, as new strings (not the ledger's own instances). */
    final String[] revokedSample;
    /** The heap the ledger and its journal took once filled, in bytes. */
    final long heapBytes;

    private final SplittableRandom random;

    private RevokedJtis(TokenLedger ledger, String[] revokedSample, long heapBytes, SplittableRandom random) {
        this.ledger = ledger;
        this.revokedSample = revokedSample;
        this.heapBytes = heapBytes;
        this.random = random;
    }

    /**
     * A loaded ledger with {@code count} revoked jtis over a journal that keeps nothing in memory, as the file and
     * PostgreSQL journals do: the heap measured is the ledger's entries alone.
     */
    static RevokedJtis fill(int count, int sampleSize) {
        return fill(count, sampleSize, new OffHeapJournal());
    }

    /**
     * The same over {@code journal}; with the tests' {@link MemoryLedgerJournal}, which keeps every event in a list,
     * the heap measured includes that list.
     */
    static RevokedJtis fill(int count, int sampleSize, LedgerJournal journal) {
        SplittableRandom random = new SplittableRandom(20260101);
        String[] sample = new String[sampleSize];
        int every = Math.max(1, count / sampleSize);
        long before = usedHeap();
        TokenLedger ledger = new TokenLedger(journal, InstantSource.fixed(NOW),
                new LedgerSettings(Rings.CLOCK_SKEW, Duration.ofHours(8), () -> Rings.LIFETIME));
        ledger.load();
        for (int i = 0; i < count; i++) {
            String jti = jti(random);
            // tokens revoked over the last five minutes expire over the next five
            ledger.revokeToken(jti, Optional.of(NOW.plusSeconds(1 + i % 300)));
            if (i % every == 0 && i / every < sampleSize) {
                sample[i / every] = jti;
            }
        }
        long after = usedHeap();
        for (int i = 0; i < sampleSize; i++) {
            // a request's jti is a new string, parsed from its token, whose hash is not yet known
            sample[i] = new String(sample[i].toCharArray());
        }
        return new RevokedJtis(ledger, sample, after - before, random);
    }

    /** A jti the ledger has never seen. */
    String freshJti() {
        return jti(random);
    }

    /** A jti as the issuer makes them: 16 random bytes, base64url without padding (22 characters). */
    static String jti(SplittableRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    /** The used heap once the garbage is gone, in bytes: the least of several readings, each after a full GC. */
    static long usedHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Bytes in MB (2^20), rounded. */
    static long megabytes(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }

    /**
     * A journal whose events would live on disk or in a database, as those of the file and PostgreSQL journals do: it
     * keeps none of them on the heap. Appends cost nothing, which only makes the setup faster; checks never touch the
     * journal.
     */
    private static final class OffHeapJournal implements LedgerJournal {

        @Override
        public List<LedgerEvent> replay() {
            return List.of();
        }

        @Override
        public void append(List<LedgerEvent> events) {
            // on disk, in a real journal
        }

        @Override
        public void rewrite(List<LedgerEvent> snapshot) {
            // on disk, in a real journal
        }

        @Override
        public String describe() {
            return "benchmark journal (keeps nothing on the heap)";
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
