package io.github.jwtkeyring.runtime.storage.jdbc;

import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.runtime.config.KeyringConfig;
import io.github.jwtkeyring.store.jdbc.JdbcKeyRingStore;
import io.github.jwtkeyring.store.jdbc.JdbcLedgerJournal;
import io.github.jwtkeyring.store.jdbc.KeyEncryptionKeys;

/**
 * The {@code jdbc} store's parts: the default Quarkus datasource, migrated by Flyway the first time one is asked for.
 * Nothing here touches a database unless {@code keyring.store.type=jdbc}, so the embedded default has no database
 * dependency at startup.
 */
@ApplicationScoped
public class JdbcWiring {

    private static final Pattern CREDENTIALS = Pattern.compile("[?;].*$");

    @Inject
    KeyringConfig config;

    @Inject
    Instance<DataSource> dataSource;

    @Inject
    Instance<Flyway> flyway;

    private volatile JdbcKeyRingStore store;
    private volatile boolean migrated;

    /** Whether the {@code jdbc} store is configured. */
    public boolean active() {
        return config.store().type() == KeyringConfig.StoreType.JDBC;
    }

    /** The migrated datasource. */
    public synchronized DataSource dataSource() {
        if (!migrated) {
            url();
            flyway.get().migrate();
            migrated = true;
        }
        return dataSource.get();
    }

    /** The key ring store; one instance. */
    public synchronized JdbcKeyRingStore keyRingStore() {
        if (store == null) {
            // the KEK first: without one, nothing (not even the schema) is written
            KeyEncryptionKeys keks = KekResolver.resolve(config);
            store = new JdbcKeyRingStore(dataSource(), keks, description());
        }
        return store;
    }

    /** The store if the {@code jdbc} store is configured and in use. */
    public Optional<JdbcKeyRingStore> existingStore() {
        return Optional.ofNullable(store);
    }

    /** The token ledger journal. */
    public JdbcLedgerJournal ledgerJournal() {
        return new JdbcLedgerJournal(dataSource(), description());
    }

    /** Where the database is, without query parameters (which may hold credentials). */
    public String description() {
        return "PostgreSQL " + CREDENTIALS.matcher(url()).replaceFirst("");
    }

    private static String url() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                .orElseThrow(() -> new KeyringException("keyring.store.type=jdbc needs a PostgreSQL database: set "
                        + "quarkus.datasource.jdbc.url (e.g. jdbc:postgresql://db:5432/keyring), "
                        + "quarkus.datasource.username and quarkus.datasource.password."));
    }
}
