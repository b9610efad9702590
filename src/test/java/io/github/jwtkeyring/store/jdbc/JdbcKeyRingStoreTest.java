package io.github.jwtkeyring.store.jdbc;

import java.security.SecureRandom;
import java.util.List;

import javax.sql.DataSource;

import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.KeyRingStoreContract;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * The store contract against a real PostgreSQL server (a private one, started by the tests).
 */
class JdbcKeyRingStoreTest extends KeyRingStoreContract {

    static final KeyEncryptionKeys KEKS = new KeyEncryptionKeys(new KeyEncryptionKey(random(), "test"), List.of());

    private DataSource dataSource;

    @Override
    protected KeyRingStore newStore() {
        dataSource = PostgresServer.shared().migratedDatabase();
        return new JdbcKeyRingStore(dataSource, KEKS, "test database");
    }

    @Override
    protected KeyRingStore reopen() {
        return new JdbcKeyRingStore(dataSource, KEKS, "test database");
    }

    static byte[] random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
