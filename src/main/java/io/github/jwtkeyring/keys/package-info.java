/**
 * Key ids, key states, signing algorithms, key material and the immutable {@link io.github.jwtkeyring.keys.KeyRing}
 * snapshot, plus the exception root {@link io.github.jwtkeyring.keys.KeyringException}.
 * <p>
 * Depends on the JDK only: every other package of JWT Keyring may depend on this one, never the other way round.
 */
package io.github.jwtkeyring.keys;
