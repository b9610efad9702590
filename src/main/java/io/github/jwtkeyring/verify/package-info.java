/**
 * Verification inside SmallRye JWT: {@link io.github.jwtkeyring.runtime.jwt.KeyringCallerPrincipalFactory} replaces
 * SmallRye's parser factory, so {@code @RolesAllowed}, {@code @Authenticated} and {@code @Inject JsonWebToken} work
 * unchanged, and {@link io.github.jwtkeyring.verify.RingKeyResolver} finds each token's key by {@code kid} in the
 * in-memory ring. After the signature and claims (or a hit in the
 * {@link io.github.jwtkeyring.verify.VerifiedTokenCache}), every token also passes the
 * {@link io.github.jwtkeyring.verify.AdmissionCheck} SPI, which the Quarkus adapter implements with the revocation lists.
 * <p>
 * Depends on {@code keys}, jose4j and the MicroProfile JWT API; no Quarkus. Verification does no I/O: it runs on the event
 * loop.
 */
package io.github.jwtkeyring.verify;
