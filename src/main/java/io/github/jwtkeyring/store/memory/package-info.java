/**
 * A key ring store that keeps the ring in memory only, for tests and throw-away instances.
 */
package io.github.jwtkeyring.store.memory;
