/**
 * {@code keyring.store.type=memory}: nothing survives the process. The default of the test profile.
 */
package io.github.jwtkeyring.runtime.storage.memory;
