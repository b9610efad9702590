package io.github.jwtkeyring.revocation;

import io.github.jwtkeyring.keys.KeyringException;

/**
 * A shared journal refused an append because another node changed the same refresh family first; the ledger catches
 * up with the journal and decides again.
 */
public final class LedgerConflictException extends KeyringException {

    private static final long serialVersionUID = 1L;

    public LedgerConflictException(String message) {
        super(message);
    }
}
