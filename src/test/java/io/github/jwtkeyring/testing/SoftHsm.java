package io.github.jwtkeyring.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.jwtkeyring.store.pkcs11.Pkcs11Slot;

/**
 * Real SoftHSM2 tokens for tests (Debian package {@code softhsm2}). Each token is initialised with
 * {@code softhsm2-util} in the token directory of the test JVM's {@code SOFTHSM2_CONF} (the build sets it to
 * {@code target/softhsm/softhsm2.conf}; this class writes that file). SoftHSM enumerates its tokens once per loaded
 * library, and SunPKCS11 loads each library path once per JVM, so every token comes with its own copy of the library:
 * a fresh module that sees the token just made.
 * <p>
 * Without SoftHSM2 the tests fail, naming the package to install; they never skip.
 */
public final class SoftHsm {

    /** Where Debian's {@code softhsm2} package puts the PKCS#11 module. */
    public static final Path DEBIAN_LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    /**
     * A new token.
     *
     * @param library a copy of the SoftHSM2 library that has not seen any token yet
     * @param slot the token's slot id
     * @param pin the user PIN
     * @param label the token label
     * @param directory the token's directory in SoftHSM2's token directory (moving it away makes the token unreachable)
     */
    public record Token(Path library, long slot, String pin, String label, Path directory) {

        /** The token's slot for the custody. */
        public Pkcs11Slot pkcs11Slot() {
            return new Pkcs11Slot(library, slot, null);
        }

        /**
         * The token's slot through a new copy of the library: a view of the token as another process has it, which
         * works also after this JVM's first copy lost the token (SoftHSM2 does not see a token again that it lost).
         */
        public Pkcs11Slot freshSlot() {
            return new Pkcs11Slot(libraryCopy(library.getParent()), slot, null);
        }
    }

    private SoftHsm() {
    }

    /** Makes this JVM's labels its own: tokens of earlier runs stay in target/softhsm, with the same names. */
    private static final String RUN = java.util.HexFormat.of().formatHex(
            java.nio.ByteBuffer.allocate(4).putInt(new java.security.SecureRandom().nextInt()).array());

    /**
     * A new token labelled {@code label} and this JVM's run id (two calls with the same {@code label} make two tokens
     * with the same label), with PIN {@code pin}.
     */
    public static synchronized Token token(String label, String pin) {
        label = label + "-" + RUN;
        Path conf = configuration();
        Set<Path> before = tokenDirectories(conf);
        String out = run(conf, "softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin",
                "so-" + pin);
        Matcher slot = SLOT.matcher(out);
        if (!slot.find()) {
            throw new AssertionError("softhsm2-util did not say which slot the token got:\n" + out);
        }
        Path copy = libraryCopy(conf.getParent());
        Set<Path> created = tokenDirectories(conf);
        created.removeAll(before);
        if (created.size() != 1) {
            throw new AssertionError("softhsm2-util made " + created.size() + " token directories, not one");
        }
        return new Token(copy, Long.parseLong(slot.group(1)), pin, label, created.iterator().next());
    }

    private static Path libraryCopy(Path dir) {
        try {
            Path copy = Files.createTempFile(dir, "libsofthsm2-", ".so");
            Files.copy(DEBIAN_LIBRARY.toRealPath(), copy, StandardCopyOption.REPLACE_EXISTING);
            copy.toFile().deleteOnExit();
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Path> tokenDirectories(Path conf) {
        try (Stream<Path> dirs = Files.list(conf.resolveSibling("tokens"))) {
            return dirs.collect(Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails, naming the package, unless SoftHSM2 is installed; returns the test JVM's SoftHSM2 configuration. */
    public static Path configuration() {
        if (!Files.isRegularFile(DEBIAN_LIBRARY) || !onPath("softhsm2-util")) {
            throw new AssertionError("SoftHSM2 is not installed: these tests keep keys on a real SoftHSM2 token. "
                    + "Install the Debian package softhsm2 (apt-get install softhsm2; .ci/run does it).");
        }
        String env = System.getenv("SOFTHSM2_CONF");
        if (env == null || env.isBlank()) {
            throw new AssertionError("SOFTHSM2_CONF is not set in this JVM's environment. SoftHSM2 reads it when the "
                    + "library loads; the build (surefire, failsafe) sets it to target/softhsm/softhsm2.conf. "
                    + "Run the tests with ./mvnw.");
        }
        Path conf = Path.of(env).toAbsolutePath();
        Path tokens = conf.resolveSibling("tokens");
        try {
            Files.createDirectories(tokens);
            if (!Files.exists(conf)) {
                Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                        + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conf;
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a SoftHSM2 tool with {@code conf}; its output, or an assertion error with it. */
    public static String run(Path conf, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
            builder.environment().put("SOFTHSM2_CONF", conf.toString());
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command.length > 0 ? command[0] : "") + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
