/**
 * Key custody as the application configures it ({@code keyring.custody.*}): {@code software} (key material in the
 * store, the default) or {@code pkcs11} (new keys generated, kept and used on a PKCS#11 token through
 * {@link io.github.jwtkeyring.store.pkcs11.Pkcs11KeyCustody}). Checks the settings with the rest of the configuration
 * and opens the token once, at startup.
 */
package io.github.jwtkeyring.runtime.custody;
