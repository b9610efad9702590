/**
 * {@link io.github.jwtkeyring.revocation.jdbc.JdbcLedgerJournal}: the token ledger in PostgreSQL, shared by the nodes
 * of a cluster, with a change feed they follow.
 */
package io.github.jwtkeyring.revocation.jdbc;
