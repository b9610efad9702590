/**
 * The hooks into SmallRye JWT: the caller-principal factory that verifies every bearer token against the ring (and,
 * if configured, hands other issuers' tokens to SmallRye JWT's own verification), the revocation check every token
 * passes, and the {@code invalid_token} challenge of the 401 a rejected token gets.
 */
package io.github.jwtkeyring.runtime.jwt;
