package io.github.jwtkeyring.revocation;

/**
 * The capability of a journal that several nodes share: what the others recorded.
 */
@FunctionalInterface
public interface LedgerFeed {

    /**
     * What other nodes recorded since the last {@link LedgerJournal#replay()} or {@code pull()}.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the journal cannot be read
     */
    LedgerChanges pull();
}
