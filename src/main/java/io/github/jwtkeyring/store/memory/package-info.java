/**
 * Storage in memory only ({@link io.github.jwtkeyring.store.memory.MemoryStorage}), for tests and throw-away
 * instances: everything is lost when the process ends.
 */
package io.github.jwtkeyring.store.memory;
