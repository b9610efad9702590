/**
 * The readiness check of the key ring ({@code /q/health/ready}).
 */
package io.github.jwtkeyring.runtime.health;
