import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.rotation.RotationPolicy;

/**
 * Prints the JWK Set (one {@code oct} key) of a derived HMAC period key, for the static-key baseline of the HTTP
 * benchmark. The key comes from the keyring's own {@link DerivedHmacKeyRingManager}, not from a re-implementation.
 * <p>
 * Run from the repository root after {@code ./mvnw package}, with the master secret in the environment (never on the
 * command line):
 *
 * <pre>
 * KEYRING_HMAC_MASTER_SECRET=... java -cp target/classes:target/quarkus-app/lib/boot/org.jboss.logging.jboss-logging-*.jar \
 *     src/bench/http/HmacPeriodKey.java HS256-PT24H-20414
 * </pre>
 *
 * The kid names the algorithm, the period and the period's index ({@code <alg>-<period>-<n>}); the ring is computed
 * with a clock at the start of period {@code n}, where that period's key is ACTIVE.
 */
public class HmacPeriodKey {

    public static void main(String[] args) {
        if (args.length != 1 || System.getenv("KEYRING_HMAC_MASTER_SECRET") == null) {
            System.err.println("usage: KEYRING_HMAC_MASTER_SECRET=<base64> java ... HmacPeriodKey.java <kid>");
            System.exit(2);
        }
        String kid = args[0];
        String[] parts = kid.split("-");
        SigningAlgorithm algorithm = SigningAlgorithm.fromJoseName(parts[0]);
        Duration period = Duration.parse(parts[1]);
        long index = Long.parseLong(parts[2]);
        byte[] master = Base64.getDecoder().decode(System.getenv("KEYRING_HMAC_MASTER_SECRET"));

        Instant periodStart = Instant.ofEpochSecond(Math.multiplyExact(index, period.getSeconds()));
        RotationPolicy policy = new RotationPolicy(algorithm, period, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ZERO);
        KeyRing ring = new DerivedHmacKeyRingManager(policy, 1, master, InstantSource.fixed(periodStart)).current();
        byte[] secret = ring.require(kid).requireMaterial().verificationKey().getEncoded();
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        System.out.println("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"" + kid + "\",\"alg\":\"" + algorithm.joseName()
                + "\",\"use\":\"sig\",\"k\":\"" + k + "\"}]}");
    }
}
