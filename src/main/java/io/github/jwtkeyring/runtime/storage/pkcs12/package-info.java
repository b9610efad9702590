/**
 * {@code keyring.store.type=pkcs12}, the embedded default: its {@code keyring.store.pkcs12.*} settings and the
 * generated password of dev and test mode.
 */
package io.github.jwtkeyring.runtime.storage.pkcs12;
