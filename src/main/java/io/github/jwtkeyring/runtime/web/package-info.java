/**
 * The HTTP API: login, the JWKS, the demo endpoints and key administration, their DTO records and exception mappers.
 * <p>
 * Depends on every other package; nothing depends on it.
 */
package io.github.jwtkeyring.runtime.web;
