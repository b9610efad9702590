package io.github.jwtkeyring.store.memory;

import java.util.ArrayList;
import java.util.List;

import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerJournal;

/**
 * A journal in memory, for tests: it survives a new ledger on the same instance, but not the end of the process.
 */
public final class MemoryLedgerJournal implements LedgerJournal {

    private final List<LedgerEvent> events = new ArrayList<>();

    @Override
    public synchronized List<LedgerEvent> replay() {
        return List.copyOf(events);
    }

    @Override
    public synchronized void append(List<LedgerEvent> appended) {
        events.addAll(appended);
    }

    @Override
    public synchronized void rewrite(List<LedgerEvent> snapshot) {
        events.clear();
        events.addAll(snapshot);
    }

    @Override
    public String describe() {
        return "memory (lost when the process ends)";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
