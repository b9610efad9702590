/**
 * The {@code keyring.*} configuration: the {@code @ConfigMapping} root
 * ({@link io.github.jwtkeyring.runtime.config.KeyringConfig}), the one boundary that turns it into domain values and
 * reports every problem at once ({@link io.github.jwtkeyring.runtime.config.KeyringSettings},
 * {@link io.github.jwtkeyring.runtime.config.ConfigProblems}), and the old names of renamed keys
 * ({@link io.github.jwtkeyring.runtime.config.RenamedKeys}). Each storage technology maps its own
 * {@code keyring.store.<type>.*} group in its package under {@code runtime.storage}.
 */
package io.github.jwtkeyring.runtime.config;
