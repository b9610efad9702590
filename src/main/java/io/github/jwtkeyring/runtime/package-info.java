/**
 * The Quarkus adapters: everything that ties the core ({@code keys}, {@code store}, {@code revocation},
 * {@code rotation}, {@code issue}, {@code verify}) to a Quarkus application, kept apart so that splitting the module
 * into Quarkus runtime and deployment modules one day is a move, not a rewrite. Here: the CDI producers
 * ({@link io.github.jwtkeyring.runtime.KeyringProducers}), startup ({@link io.github.jwtkeyring.runtime.KeyringStartup})
 * and the periodic work ({@link io.github.jwtkeyring.runtime.PeriodicWork}); in the sub-packages the configuration
 * ({@code config}), the storage providers ({@code storage}), the SmallRye JWT hooks ({@code jwt}), the HTTP endpoints
 * ({@code web}) and the readiness check ({@code health}).
 * <p>
 * Depends on every core package; no core package depends on it.
 */
package io.github.jwtkeyring.runtime;
