package io.github.jwtkeyring.runtime.storage.jdbc;

import java.lang.annotation.Annotation;

import io.quarkus.agroal.DataSource;

/**
 * The qualifier of a named Quarkus datasource. A class of its own, loaded only when a named datasource is configured
 * for the {@code jdbc} store: Agroal is an optional dependency of the module.
 */
final class AgroalQualifiers {

    private AgroalQualifiers() {
    }

    static Annotation named(String name) {
        return new DataSource.DataSourceLiteral(name);
    }
}
