package io.github.jwtkeyring.store.memory;

import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.Storage;

/**
 * Storage in memory only: the ring and the ledger are lost when the process ends. For tests and throw-away instances.
 */
public final class MemoryStorage implements Storage {

    private final MemoryKeyRingStore ring = new MemoryKeyRingStore();
    private final MemoryLedgerJournal journal = new MemoryLedgerJournal();

    @Override
    public KeyRingStore keyRing() {
        return ring;
    }

    @Override
    public LedgerJournal ledgerJournal() {
        return journal;
    }

    @Override
    public String describe() {
        return ring.describe();
    }
}
