/**
 * The readiness check of the key ring ({@code /q/health/ready}) and the warning states that say rotation is at risk
 * before it breaks anything ({@link io.github.jwtkeyring.runtime.health.KeyringStatus}), which the metrics read too.
 */
package io.github.jwtkeyring.runtime.health;
