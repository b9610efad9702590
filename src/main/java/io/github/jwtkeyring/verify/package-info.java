/**
 * Verification inside SmallRye JWT: {@link io.github.jwtkeyring.runtime.jwt.KeyringCallerPrincipalFactory} replaces
 * SmallRye's parser factory, so {@code @RolesAllowed}, {@code @Authenticated} and {@code @Inject JsonWebToken} work
 * unchanged, and {@link io.github.jwtkeyring.verify.TokenVerifier} verifies each token to a strict profile: the one
 * canonical compact JWS of its bytes ({@code CompactJws}), a header allow-list and the key its {@code kid} names in the
 * in-memory ring ({@code JwsVerifier}, {@code RingKeyResolver}), a signature of exactly its algorithm's length
 * ({@code JcaSignatures}), the claims as the ring issues them ({@code AccessTokenClaims}) and the key's signing window
 * ({@code SigningWindow}). After that (or a hit in the {@link io.github.jwtkeyring.verify.VerifiedTokenCache}), every
 * token also passes the {@link io.github.jwtkeyring.verify.AdmissionCheck} SPI, which the Quarkus adapter implements
 * with the revocation lists.
 * <p>
 * Depends on {@code keys}, the JDK's JCA providers, jose4j (its JSON parser and {@code JwtClaims}, which SmallRye JWT's
 * principal takes) and the MicroProfile JWT API; no Quarkus. Verification does no I/O: it runs on the event loop.
 */
package io.github.jwtkeyring.verify;
