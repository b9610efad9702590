package io.github.jwtkeyring.runtime.storage.jdbc;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.runtime.config.ConfigProblems;
import io.github.jwtkeyring.runtime.storage.StorageProvider;
import io.github.jwtkeyring.store.Storage;
import io.github.jwtkeyring.store.jdbc.JdbcStorage;

/**
 * {@code keyring.store.type=jdbc}: cluster mode on PostgreSQL, through a Quarkus datasource of the application's
 * (the default one, or {@code keyring.store.jdbc.datasource}). Only this class and {@link AgroalQualifiers} touch the
 * datasource extension, and only when jdbc is chosen, so applications on another store need neither Agroal nor the
 * PostgreSQL driver.
 */
@ApplicationScoped
public class JdbcStorageProvider implements StorageProvider {

    private static final Pattern CREDENTIALS = Pattern.compile("[?;].*$");

    @Inject
    JdbcStoreConfig config;

    @Inject
    Config mpConfig;

    /** Every datasource bean of the application; JDK types only, so this resolves without Agroal too. */
    @Inject
    @Any
    Instance<DataSource> dataSources;

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public void check(ConfigProblems problems) {
        Duration reload = config.reloadInterval();
        if (reload.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("keyring.store.jdbc.reload-interval", "must be at least 1s; it is " + reload + ".");
        }
        if (dataSource().map(Instance::isUnsatisfied).orElse(true)) {
            problems.add("keyring.store.type", "jdbc needs a PostgreSQL datasource" + named() + ", and the application "
                    + "has none: add the dependency io.quarkus:quarkus-jdbc-postgresql and set " + urlKey() + ".");
        } else if (url().isEmpty()) {
            problems.add(urlKey(), "keyring.store.type=jdbc needs a PostgreSQL database: set " + urlKey() + " (e.g. "
                    + "jdbc:postgresql://db:5432/keyring), and its username and password.");
        }
        try {
            KekResolver.resolve(config);
        } catch (KeyringException e) {
            problems.add("keyring.store.jdbc.kek", e.getMessage());
        }
    }

    @Override
    public Duration propagation() {
        return config.reloadInterval();
    }

    @Override
    public Storage open(Optional<KeyCustody> custody) {
        String description = "PostgreSQL " + CREDENTIALS.matcher(url().orElse("?")).replaceFirst("");
        DataSource dataSource = dataSource().orElseThrow(() -> new KeyringException("No datasource for the jdbc store."))
                .get();
        return new JdbcStorage(dataSource, KekResolver.resolve(config), description, config.reloadInterval(),
                custody.orElse(null));
    }

    /** The datasource beans that match; empty when a named datasource is asked for and Agroal is missing. */
    private Optional<Instance<DataSource>> dataSource() {
        if (config.datasource().isEmpty()) {
            return Optional.of(dataSources.select(Default.Literal.INSTANCE));
        }
        try {
            return Optional.of(dataSources.select(AgroalQualifiers.named(config.datasource().get())));
        } catch (NoClassDefFoundError e) {
            return Optional.empty();
        }
    }

    private Optional<String> url() {
        return mpConfig.getOptionalValue(urlKey(), String.class);
    }

    /** The URL's key: quoted only where the datasource's name needs it (a name with a dot). */
    private String urlKey() {
        return config.datasource().map(name -> "quarkus.datasource." + (name.contains(".") ? "\"" + name + "\"" : name)
                + ".jdbc.url").orElse("quarkus.datasource.jdbc.url");
    }

    private String named() {
        return config.datasource().map(name -> " named '" + name + "' (keyring.store.jdbc.datasource)").orElse("");
    }
}
