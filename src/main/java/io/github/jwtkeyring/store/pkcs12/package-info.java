/**
 * The embedded default store: one password-protected PKCS#12 file holding every key and the ring's manifest, replaced
 * atomically on each change.
 */
package io.github.jwtkeyring.store.pkcs12;
