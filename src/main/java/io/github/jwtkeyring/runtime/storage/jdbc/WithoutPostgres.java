package io.github.jwtkeyring.runtime.storage.jdbc;

import java.util.Optional;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Instance;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.store.Storage;

/**
 * The {@code jdbc} store in a native executable of an application without Agroal and the PostgreSQL driver (optional
 * dependencies of the module). Quarkus links every class at image build time, so the provider's references to those
 * missing classes would stop the build; GraalVM replaces the two methods that reach them with ones that say the
 * technology is absent, exactly as the JVM reports it (no datasource). Never loaded on the JVM.
 */
@TargetClass(className = "io.github.jwtkeyring.runtime.storage.jdbc.JdbcStorageProvider", onlyWith = WithoutPostgres.Absent.class)
final class WithoutPostgres {

    @Substitute
    private Optional<Instance<DataSource>> dataSource() {
        return Optional.empty();
    }

    @Substitute
    public Storage open(Optional<KeyCustody> custody) {
        throw new KeyringException("keyring.store.type=jdbc needs the dependency io.quarkus:quarkus-jdbc-postgresql.");
    }

    /** Whether the application lacks Agroal's datasource qualifier or the PostgreSQL driver. */
    static final class Absent implements BooleanSupplier {

        @Override
        public boolean getAsBoolean() {
            return !present("io.quarkus.agroal.DataSource") || !present("org.postgresql.PGConnection");
        }

        private static boolean present(String name) {
            try {
                Class.forName(name, false, Absent.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
