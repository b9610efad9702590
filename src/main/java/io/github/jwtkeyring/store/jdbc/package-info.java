/**
 * Cluster storage on PostgreSQL ({@link io.github.jwtkeyring.store.jdbc.JdbcStorage}): the key ring
 * ({@link io.github.jwtkeyring.store.jdbc.JdbcKeyRingStore}), its material wrapped under
 * {@link io.github.jwtkeyring.store.jdbc.KeyEncryptionKey}s the database never sees, the shared token ledger
 * ({@link io.github.jwtkeyring.store.jdbc.JdbcLedgerJournal}), LISTEN/NOTIFY
 * ({@link io.github.jwtkeyring.store.jdbc.ChangeListener}), and the module's own schema migrations
 * ({@link io.github.jwtkeyring.store.jdbc.SchemaMigrations}).
 * <p>
 * Needs the PostgreSQL JDBC driver at run time, an optional dependency of the module: nothing here is loaded unless
 * the {@code jdbc} store is chosen.
 */
package io.github.jwtkeyring.store.jdbc;
