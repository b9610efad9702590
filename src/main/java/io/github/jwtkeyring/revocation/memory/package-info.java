/**
 * {@link io.github.jwtkeyring.revocation.memory.MemoryLedgerJournal}: a ledger journal that lives as long as the
 * process, for tests.
 */
package io.github.jwtkeyring.revocation.memory;
