package io.github.jwtkeyring.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;
import io.github.jwtkeyring.revocation.RevocationList;
import io.github.jwtkeyring.revocation.TokenLedger;

/**
 * The revocation check of every authenticated request, {@link TokenLedger#rejection}, against a ledger of 1,000,000
 * revoked jtis: for a revoked jti ({@code revoked}) and for one that is not ({@code notRevoked}). Each call takes the
 * next of 4,096 jtis spread over the whole ledger, so that the lookups miss the CPU caches as a busy service's do,
 * instead of finding one entry hot in L1. The subject and session are not revoked, so a live token takes all three
 * lookups.
 * <p>
 * {@code snapshotWithOneMore} measures the other side of the immutable snapshot: what one more revocation (a logout)
 * costs in memory, the new {@link RevocationList} made from one of 1,000,000 entries. The journal's write, which a
 * logout pays as well, is not part of it.
 * <p>
 * The ledger's journal keeps nothing on the heap, as the file and PostgreSQL journals do; the journal is never on the
 * path of a check. The setup prints the heap the 1,000,000 entries take; {@link RevocationHeap} prints the same figure
 * on its own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class RevocationBenchmark {

    private static final int SAMPLE = 4096;

    private TokenLedger ledger;
    private String[] revoked;
    private String[] notRevoked;
    private Instant issuedAt;
    private RevocationList snapshot;
    private List<List<LedgerEvent>> logouts;
    private int next;

    @Setup
    public void setUp() {
        long start = System.nanoTime();
        RevokedJtis jtis = RevokedJtis.fill(RevokedJtis.COUNT, SAMPLE);
        ledger = jtis.ledger;
        revoked = jtis.revokedSample;
        notRevoked = new String[SAMPLE];
        for (int i = 0; i < SAMPLE; i++) {
            notRevoked[i] = jtis.freshJti();
        }
        issuedAt = RevokedJtis.NOW.minusSeconds(60);
        List<LedgerEvent> held = new ArrayList<>(RevokedJtis.COUNT);
        for (int i = 0; i < RevokedJtis.COUNT; i++) {
            held.add(new TokenRevoked(jtis.freshJti(), RevokedJtis.NOW.plusSeconds(1 + i % 300)));
        }
        snapshot = RevocationList.EMPTY.with(held);
        logouts = new ArrayList<>(SAMPLE);
        for (int i = 0; i < SAMPLE; i++) {
            logouts.add(List.of(new TokenRevoked(notRevoked[i], RevokedJtis.NOW.plusSeconds(900))));
        }
        System.out.printf("%nheap for %,d revoked jtis: %d MB (%,d bytes); filled in %d ms%n", RevokedJtis.COUNT,
                RevokedJtis.megabytes(jtis.heapBytes), jtis.heapBytes, (System.nanoTime() - start) / 1_000_000);
        if (ledger.rejection(revoked[SAMPLE - 1], "alice", issuedAt, "family-1").isEmpty()
                || ledger.rejection(notRevoked[0], "alice", issuedAt, "family-1").isPresent()) {
            throw new IllegalStateException("The ledger does not answer as filled.");
        }
    }

    @Benchmark
    public Optional<String> revoked() {
        return ledger.rejection(revoked[next++ & (SAMPLE - 1)], "alice", issuedAt, "family-1");
    }

    @Benchmark
    public RevocationList snapshotWithOneMore() {
        return snapshot.with(logouts.get(next++ & (SAMPLE - 1)));
    }

    @Benchmark
    public Optional<String> notRevoked() {
        return ledger.rejection(notRevoked[next++ & (SAMPLE - 1)], "alice", issuedAt, "family-1");
    }
}
