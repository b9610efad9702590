/**
 * The static-key baseline of the HTTP benchmark: the keyring's {@code /api/me} on plain SmallRye JWT, which verifies
 * with one key configured at startup ({@code mp.jwt.verify.publickey.location} or
 * {@code smallrye.jwt.verify.key.location}). The key ring is not installed; {@code src/bench/http-bench.sh} starts this
 * application with the key that signed the keyring's benchmark token, so both applications get the same token.
 */
package io.github.jwtkeyring.bench.baseline;
