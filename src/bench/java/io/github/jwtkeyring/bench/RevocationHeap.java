package io.github.jwtkeyring.bench;

import io.github.jwtkeyring.store.memory.MemoryLedgerJournal;

/**
 * Prints the heap that 1,000,000 revoked jtis take in the token ledger, without JMH:
 * {@code java -cp target/benchmarks.jar io.github.jwtkeyring.bench.RevocationHeap [count]}.
 * <p>
 * The first line is the ledger's entries alone (its journal keeps nothing on the heap, as the file and PostgreSQL
 * journals do not); the second is the same ledger over the tests' {@link MemoryLedgerJournal}, which keeps a copy of
 * every event in a list as well.
 */
public final class RevocationHeap {

    private RevocationHeap() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : RevokedJtis.COUNT;
        long start = System.nanoTime();
        RevokedJtis ledger = RevokedJtis.fill(count, 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        require(ledger, count);
        System.out.printf("heap for %,d revoked jtis: %d MB%n", count, RevokedJtis.megabytes(ledger.heapBytes));
        System.out.printf("  %,d bytes, %d bytes per jti; filled and measured in %d ms on %s %s, max heap %d MB%n",
                ledger.heapBytes, ledger.heapBytes / Math.max(1, count), millis, System.getProperty("java.vm.name"),
                Runtime.version(), RevokedJtis.megabytes(Runtime.getRuntime().maxMemory()));
        ledger = null;
        RevokedJtis withMemoryJournal = RevokedJtis.fill(count, 1, new MemoryLedgerJournal());
        require(withMemoryJournal, count);
        System.out.printf("  with the tests' MemoryLedgerJournal, which keeps every event too: %d MB%n",
                RevokedJtis.megabytes(withMemoryJournal.heapBytes));
    }

    private static void require(RevokedJtis jtis, int count) {
        if (jtis.ledger.size() != count) {
            throw new IllegalStateException("The ledger holds " + jtis.ledger.size() + " entries, not " + count + ".");
        }
    }
}
