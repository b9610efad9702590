package io.github.jwtkeyring.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.IssuedToken;
import io.github.jwtkeyring.issue.Jose4jTokenIssuer;
import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyGenerator;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.rotation.StoredKeyRingManager;
import io.github.jwtkeyring.store.memory.MemoryKeyRingStore;
import io.github.jwtkeyring.store.pkcs11.Pkcs11KeyCustody;
import io.github.jwtkeyring.store.pkcs11.Pkcs11Slot;

/**
 * Issuing one access token with the key in software against the key on a SoftHSM2 token (the module's
 * {@code pkcs11} custody: the signature computed by the token through SunPKCS11). Needs SoftHSM2 (Debian package
 * {@code softhsm2}) and {@code SOFTHSM2_CONF} in the environment naming a file this benchmark may write; each fork makes
 * its own token there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class CustodyIssueBenchmark {

    private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    @Param({ "HS256", "RS256", "PS256", "ES256" })
    public String alg;

    @Param({ "software", "pkcs11" })
    public String custody;

    private Jose4jTokenIssuer issuer;
    private AccessTokenRequest request;
    private Pkcs11KeyCustody token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SigningAlgorithm algorithm = SigningAlgorithm.fromJoseName(alg);
        InstantSource clock = InstantSource.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        KeyGenerator generator = new JdkKeyGenerator(new SecureRandom(), 2048);
        if (custody.equals("pkcs11")) {
            token = Pkcs11KeyCustody.open(newToken(), "1234".toCharArray(), 2048, "jk-");
            generator = token::generate;
        }
        RotationPolicy policy = new RotationPolicy(algorithm, Duration.ofDays(1), Duration.ofHours(1), Rings.LIFETIME,
                Rings.CLOCK_SKEW);
        StoredKeyRingManager manager = new StoredKeyRingManager(new MemoryKeyRingStore(),
                new Rotation(policy, generator), clock, token);
        manager.start();
        issuer = Rings.issuer(manager, clock);
        request = AccessTokenRequest.of("alice", Set.of("user"));
        boolean onToken = manager.current().active().requireMaterial().custody().isPresent();
        if (onToken != custody.equals("pkcs11") || keyring().algorithm() != algorithm) {
            throw new IllegalStateException(alg + "/" + custody + ": the key is not where it should be.");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (token != null) {
            token.close();
        }
    }

    @Benchmark
    public IssuedToken keyring() {
        return issuer.issue(request);
    }

    /** A new SoftHSM2 token in the directory of {@code SOFTHSM2_CONF}. */
    private static Pkcs11Slot newToken() throws IOException, InterruptedException {
        String env = System.getenv("SOFTHSM2_CONF");
        if (env == null || !Files.isRegularFile(LIBRARY)) {
            throw new IllegalStateException("The pkcs11 runs need SoftHSM2 (apt-get install softhsm2) and "
                    + "SOFTHSM2_CONF set to a file this benchmark may write, e.g. /tmp/bench-softhsm/softhsm2.conf.");
        }
        Path conf = Path.of(env);
        Path tokens = conf.toAbsolutePath().resolveSibling("tokens");
        Files.createDirectories(tokens);
        Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                StandardCharsets.UTF_8);
        Process init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", "1234",
                "--so-pin", "5678").redirectErrorStream(true).start();
        String out = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher slot = SLOT.matcher(out);
        if (init.waitFor() != 0 || !slot.find()) {
            throw new IllegalStateException("softhsm2-util failed: " + out);
        }
        return new Pkcs11Slot(LIBRARY, Long.parseLong(slot.group(1)), null);
    }
}
