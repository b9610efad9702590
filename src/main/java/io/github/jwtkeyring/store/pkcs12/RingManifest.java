package io.github.jwtkeyring.store.pkcs12;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;

/**
 * The non-secret part of a stored ring (version, metadata and public keys) as {@link Properties} text, so that reading
 * it needs neither reflection nor a JSON library.
 */
final class RingManifest {

    static final String FORMAT = "jwt-keyring/1";
    private static final int MAX_KEYS = 100_000;

    /**
     * One key as the manifest lists it: metadata, the X.509 encoding of its public key if it has one, and the custody
     * that holds its secret part ({@code null} when the keystore holds it).
     */
    record Entry(KeyMetadata metadata, byte[] publicKey, String custody) {
    }

    private RingManifest() {
    }

    static String write(long version, List<Entry> entries) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("version", Long.toString(version));
        p.setProperty("keys", Integer.toString(entries.size()));
        for (int i = 0; i < entries.size(); i++) {
            KeyMetadata m = entries.get(i).metadata();
            String k = "key." + i + ".";
            p.setProperty(k + "kid", m.kid());
            p.setProperty(k + "alg", m.algorithm().joseName());
            p.setProperty(k + "state", m.state().name());
            p.setProperty(k + "created", m.created().toString());
            p.setProperty(k + "activates", m.activates().toString());
            p.setProperty(k + "retires", m.retires().toString());
            setIfPresent(p, k + "destroy-after", m.destroyAfter());
            setIfPresent(p, k + "revoked", m.revoked());
            p.setProperty(k + "max-issued-lifetime", m.maxIssuedLifetime().toString());
            if (entries.get(i).publicKey() != null) {
                p.setProperty(k + "public", Base64.getEncoder().encodeToString(entries.get(i).publicKey()));
            }
            if (entries.get(i).custody() != null) {
                p.setProperty(k + "custody", entries.get(i).custody());
            }
        }
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new StoreException("The key ring manifest could not be written.", e);
        }
        return out.toString();
    }

    static long version(Properties p) {
        return parse(p, "version", Long::parseLong);
    }

    static Properties read(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreException("The key ring manifest is damaged.", e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new StoreException("The key ring manifest has format '" + p.getProperty("format")
                    + "'; this version of JWT Keyring reads '" + FORMAT + "'.");
        }
        return p;
    }

    static List<Entry> entries(Properties p) {
        int count = parse(p, "keys", Integer::parseInt);
        if (count < 1 || count > MAX_KEYS) {
            throw new StoreException("The key ring manifest lists " + count + " keys; between 1 and " + MAX_KEYS
                    + " are possible.");
        }
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String k = "key." + i + ".";
            KeyMetadata m = new KeyMetadata(require(p, k + "kid"),
                    parse(p, k + "alg", SigningAlgorithm::fromJoseName),
                    parse(p, k + "state", KeyState::valueOf),
                    parse(p, k + "created", Instant::parse),
                    parse(p, k + "activates", Instant::parse),
                    parse(p, k + "retires", Instant::parse),
                    p.containsKey(k + "destroy-after") ? parse(p, k + "destroy-after", Instant::parse) : null,
                    p.containsKey(k + "revoked") ? parse(p, k + "revoked", Instant::parse) : null,
                    parse(p, k + "max-issued-lifetime", Duration::parse));
            String publicKey = p.getProperty(k + "public");
            entries.add(new Entry(m, publicKey == null ? null : Base64.getDecoder().decode(publicKey),
                    p.getProperty(k + "custody")));
        }
        return entries;
    }

    private static void setIfPresent(Properties p, String name, Instant value) {
        if (value != null) {
            p.setProperty(name, value.toString());
        }
    }

    private static String require(Properties p, String name) {
        String value = p.getProperty(name);
        if (value == null) {
            throw new StoreException("The key ring manifest lacks '" + name + "'.");
        }
        return value;
    }

    private static <T> T parse(Properties p, String name, Function<String, T> parser) {
        String value = require(p, name);
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new StoreException("The key ring manifest has an invalid '" + name + "': '" + value + "'.", e);
        }
    }
}
