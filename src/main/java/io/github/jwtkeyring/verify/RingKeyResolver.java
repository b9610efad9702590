package io.github.jwtkeyring.verify;

import java.security.Key;
import java.util.List;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import io.github.jwtkeyring.keys.KeyRingAccess;
import io.github.jwtkeyring.keys.ManagedKey;

/**
 * Finds the key of a token by its {@code kid} in the current ring: only PENDING, ACTIVE and RETIRED keys, and only when
 * the token's {@code alg} is the key's own algorithm. Never takes key material from the token.
 */
final class RingKeyResolver implements VerificationKeyResolver {

    private final KeyRingAccess ring;

    RingKeyResolver(KeyRingAccess ring) {
        this.ring = ring;
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext)
            throws UnresolvableKeyException {
        String kid = jws.getKeyIdHeaderValue();
        if (kid == null) {
            throw new UnresolvableKeyException("the token has no kid header");
        }
        ManagedKey key = ring.current().verifying(kid)
                .orElseThrow(() -> new UnresolvableKeyException("kid '" + kid + "' is unknown, DESTROYED or REVOKED"));
        String alg = jws.getAlgorithmHeaderValue();
        if (!key.algorithm().joseName().equals(alg)) {
            throw new UnresolvableKeyException("kid '" + kid + "' is an " + key.algorithm() + " key but the token says "
                    + alg);
        }
        return key.requireMaterial().verificationKey();
    }
}
