/**
 * {@link io.github.jwtkeyring.revocation.file.FileLedgerJournal}: the ledger journal as an append-only file beside the
 * PKCS#12 keystore, each entry forced to disk before it counts.
 */
package io.github.jwtkeyring.revocation.file;
