package io.github.jwtkeyring.runtime.health;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.custody.CustodyWatch;
import io.github.jwtkeyring.runtime.storage.ClusterSync;

/**
 * Readiness ({@code /q/health/ready}) of the key ring: DOWN until the ring is loaded, UP while the node can verify and
 * issue. An outage of shared storage does not make the node unready, because it keeps verifying and issuing with the
 * ring it holds; the check's data says {@code database: unreachable} then, so monitoring sees the storage's state. The
 * same holds for a PKCS#11 token that cannot be used ({@code custody: unreachable} and the reason): token endpoints
 * answer 503, and public keys held in memory go on verifying; only when the ACTIVE key is an HMAC secret on the token,
 * which verifies on the token too, or when reconnecting cannot help any more (the token refused the PIN, or the library
 * was loaded afresh too often), is the node DOWN, so that it is restarted.
 * <p>
 * Rotation risks that do not stop the node yet ({@link Warning}) are listed under {@code warnings} ({@code none} when
 * there are none), each with a {@code warning.<name>} entry saying what it concerns; readiness stays UP for them.
 */
@Readiness
@ApplicationScoped
public class KeyringHealthCheck implements HealthCheck {

    @Inject
    KeyRingManager manager;

    @Inject
    ClusterSync cluster;

    @Inject
    CustodyWatch custody;

    @Inject
    KeyringStatus status;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("jwt-keyring");
        KeyRing ring;
        try {
            ring = manager.current();
        } catch (KeyringException e) {
            return response.down().withData("ring", "not loaded").build();
        }
        response.up().withData("ring-version", ring.version()).withData("active-kid", ring.active().kid());
        if (cluster.shared()) {
            response.withData("database", cluster.reachable() ? "reachable" : "unreachable");
            if (cluster.lastSync() != null) {
                response.withData("last-sync", cluster.lastSync().toString());
            }
        }
        Optional<String> custodyProblem = custody.problem();
        if (custodyProblem.isPresent()) {
            response.withData("custody", "unreachable").withData("custody-problem", custodyProblem.get());
            boolean hmacOnToken = ring.active().algorithm().symmetric()
                    && ring.active().material().flatMap(KeyMaterial::custody).isPresent();
            if (hmacOnToken || custody.unrecoverable()) {
                // nothing verifies (HMAC on the token), or nothing will sign again without a restart
                response.down();
            }
        }
        List<KeyringStatus.Found> warnings = status.warnings();
        response.withData("warnings", warnings.isEmpty() ? "none"
                : warnings.stream().map(w -> w.warning().label()).collect(Collectors.joining(",")));
        for (KeyringStatus.Found warning : warnings) {
            response.withData("warning." + warning.warning().label(), warning.detail());
        }
        return response.build();
    }
}
