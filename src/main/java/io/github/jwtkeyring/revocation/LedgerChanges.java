package io.github.jwtkeyring.revocation;

import java.util.List;

/**
 * What other nodes recorded in a shared journal since this node last looked.
 *
 * @param events the events, in order
 * @param fullState whether {@code events} is the whole ledger (this node fell too far behind the change feed), which
 *        replaces what the node holds, rather than changes to apply on top of it
 */
public record LedgerChanges(List<LedgerEvent> events, boolean fullState) {

    /** Nothing new. */
    public static final LedgerChanges NONE = new LedgerChanges(List.of(), false);

    public LedgerChanges {
        events = List.copyOf(events);
    }
}
