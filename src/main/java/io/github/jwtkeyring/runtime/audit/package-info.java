/**
 * The audit trail: every key transition, revocation, logout-all, refresh-token reuse, failed or throttled login and
 * startup refusal, written as one JSON line to the log category {@code io.github.jwtkeyring.audit} and fired as a CDI
 * {@link io.github.jwtkeyring.runtime.audit.AuditEvent} that application code can observe. Quarkus adapter; depends on
 * {@code rotation} and {@code keys}.
 */
package io.github.jwtkeyring.runtime.audit;
