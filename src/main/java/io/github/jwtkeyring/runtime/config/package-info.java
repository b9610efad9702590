/**
 * The {@code keyring.*} configuration ({@link io.github.jwtkeyring.runtime.config.KeyringConfig}) and the CDI producers that
 * turn it into plain domain values at the boundary, so that the core packages never read configuration themselves.
 */
package io.github.jwtkeyring.runtime.config;
