/**
 * {@code keyring.store.type=jdbc}, cluster mode on PostgreSQL: its {@code keyring.store.jdbc.*} settings, the
 * application's datasource (default or named) and the key-encryption keys. Agroal and the PostgreSQL driver are
 * optional dependencies of the module; only this package touches them, and only when {@code jdbc} is chosen.
 */
package io.github.jwtkeyring.runtime.storage.jdbc;
