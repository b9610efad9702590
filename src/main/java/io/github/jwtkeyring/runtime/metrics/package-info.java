/**
 * Metrics of the module, behind {@link io.github.jwtkeyring.runtime.metrics.KeyringMetrics}, an interface without
 * Micrometer types: {@link io.github.jwtkeyring.runtime.metrics.MicrometerKeyringMetrics} records them when the
 * application has Quarkus Micrometer (with whatever registry it chose), and
 * {@link io.github.jwtkeyring.runtime.metrics.NoKeyringMetrics} does nothing otherwise. Only
 * {@code MicrometerKeyringMetrics} imports Micrometer, so the module needs it only when the application has it. Every
 * tag has a small fixed set of values: never a subject, a jti or a token.
 */
package io.github.jwtkeyring.runtime.metrics;
