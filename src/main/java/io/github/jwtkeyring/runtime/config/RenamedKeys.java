package io.github.jwtkeyring.runtime.config;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.Priority;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Keys that were renamed when the storage settings were grouped by technology: the old name still works, with a
 * deprecation warning at startup. Registered as a SmallRye Config interceptor ({@code META-INF/services}): a value set
 * under the old name is seen under the new one unless the new name is set in a source of equal or higher priority (so
 * the new name wins over the old one in the same file, and either wins over a default); and the old names are listed
 * under their new names, so configuration validation knows them.
 */
@Priority(Priorities.LIBRARY + 600)
public final class RenamedKeys implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(RenamedKeys.class);

    /** New name → old name. */
    static final Map<String, String> OLD_NAMES = Map.ofEntries(
            Map.entry("keyring.store.pkcs12.path", "keyring.store.path"),
            Map.entry("keyring.store.pkcs12.password", "keyring.store.password"),
            Map.entry("keyring.store.pkcs12.journal-path", "keyring.store.journal-path"),
            Map.entry("keyring.store.jdbc.reload-interval", "keyring.store.reload-interval"),
            Map.entry("keyring.store.jdbc.kek", "keyring.kek"),
            Map.entry("keyring.store.jdbc.kek-previous", "keyring.kek-previous"),
            Map.entry("keyring.store.jdbc.kek-keystore.path", "keyring.kek-keystore.path"),
            Map.entry("keyring.store.jdbc.kek-keystore.password", "keyring.kek-keystore.password"),
            Map.entry("keyring.store.jdbc.kek-keystore.alias", "keyring.kek-keystore.alias"),
            Map.entry("keyring.store.jdbc.kek-keystore.previous-aliases", "keyring.kek-keystore.previous-aliases"));

    /** Old name → new name. */
    private static final Map<String, String> NEW_NAMES = Map.ofEntries(OLD_NAMES.entrySet().stream()
            .map(entry -> Map.entry(entry.getValue(), entry.getKey())).toArray(Map.Entry[]::new));

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        String old = OLD_NAMES.get(name);
        if (old == null) {
            return value;
        }
        ConfigValue fallback = context.proceed(old);
        if (fallback == null || (value != null && value.getConfigSourceOrdinal() >= fallback.getConfigSourceOrdinal())) {
            return value;
        }
        return fallback.withName(name);
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(name -> names.add(NEW_NAMES.getOrDefault(name, name)));
        return names.iterator();
    }

    /** Warns once for each old name that is set, saying which new name replaces it. */
    public static void warnAboutOldNames(Config config) {
        OLD_NAMES.forEach((current, old) -> {
            if (config.getConfigValue(old).getRawValue() != null) {
                LOG.warnf("%s is deprecated: use %s instead.", old, current);
            }
        });
    }
}
