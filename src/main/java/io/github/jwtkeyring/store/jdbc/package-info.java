/**
 * {@link io.github.jwtkeyring.store.jdbc.JdbcKeyRingStore}: the key ring in PostgreSQL for clusters of nodes, its
 * material wrapped under {@link io.github.jwtkeyring.store.jdbc.KeyEncryptionKey}s the database never sees, and
 * {@link io.github.jwtkeyring.store.jdbc.ChangeListener}, which hears other nodes' changes through LISTEN/NOTIFY.
 */
package io.github.jwtkeyring.store.jdbc;
