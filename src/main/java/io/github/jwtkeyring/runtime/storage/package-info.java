/**
 * Storage technologies as the application sees them: the {@link io.github.jwtkeyring.runtime.storage.StorageProvider}
 * SPI, one provider per technology in the sub-packages (each with its {@code keyring.store.<type>.*} configuration),
 * and {@link io.github.jwtkeyring.runtime.storage.ClusterSync}, which keeps a node in step with the others whatever
 * the shared storage is. Adding a technology adds a sub-package here and one under {@code io.github.jwtkeyring.store}.
 */
package io.github.jwtkeyring.runtime.storage;
