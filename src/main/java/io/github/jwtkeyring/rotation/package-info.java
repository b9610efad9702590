/**
 * The rotation policy, the pure transition function ({@link io.github.jwtkeyring.rotation.Rotation}: ring × instant
 * → ring), the {@link io.github.jwtkeyring.rotation.KeyRingManager} that holds the current ring and persists every
 * change, and the scheduler bean that moves the ring along.
 * <p>
 * Depends on {@code store} and {@code keys}.
 */
package io.github.jwtkeyring.rotation;
