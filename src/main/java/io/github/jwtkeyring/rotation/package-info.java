/**
 * The rotation policy, the pure transition function ({@link io.github.jwtkeyring.rotation.Rotation}: ring × instant
 * → ring), the {@link io.github.jwtkeyring.rotation.KeyRingManager} that holds the current ring and persists every
 * change, and the scheduler bean that moves the ring along; what operators see of a ring: its
 * {@link io.github.jwtkeyring.rotation.RingOutlook} and its {@link io.github.jwtkeyring.rotation.KeyTimeline}, drawn as
 * SVG by {@link io.github.jwtkeyring.rotation.KeyTimelineSvg}.
 * <p>
 * Depends on {@code store} and {@code keys}.
 */
package io.github.jwtkeyring.rotation;
