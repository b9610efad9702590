package io.github.jwtkeyring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code keytool}, run as a process exactly as the README tells operators to run it.
 */
public final class Keytool {

    private Keytool() {
    }

    /** {@code keytool -genseckey}: a random secret-key entry in a PKCS#12 file, created if missing. */
    public static void genSecKey(Path keystore, String alias, String keyAlgorithm, int bits, String password)
            throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genseckey", "-alias", alias, "-keyalg",
                keyAlgorithm, "-keysize", String.valueOf(bits), "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", password).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool: %s", output).isZero();
        assertThat(keystore).isRegularFile();
    }
}
