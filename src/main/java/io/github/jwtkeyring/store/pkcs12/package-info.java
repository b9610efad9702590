/**
 * The embedded default ({@link io.github.jwtkeyring.store.pkcs12.Pkcs12Storage}): one password-protected PKCS#12 file
 * holding every key and the ring's manifest, replaced atomically on each change, and the token ledger's append-only
 * journal beside it ({@link io.github.jwtkeyring.store.pkcs12.FileLedgerJournal}).
 */
package io.github.jwtkeyring.store.pkcs12;
