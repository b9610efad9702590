package io.github.jwtkeyring.runtime.metrics;

import jakarta.inject.Singleton;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.verify.RejectedTokenException;
import io.quarkus.arc.DefaultBean;

/** The metrics of an application without Quarkus Micrometer: nothing is recorded. */
@DefaultBean
@Singleton
public class NoKeyringMetrics implements KeyringMetrics {

    @Override
    public void issued(SigningAlgorithm algorithm, long nanos) {
    }

    @Override
    public void verified(long nanos) {
    }

    @Override
    public void cacheHit() {
    }

    @Override
    public void rejected(RejectedTokenException.Reason reason) {
    }

    @Override
    public void refreshed() {
    }

    @Override
    public void refreshRefused(InvalidGrantException.Reason reason) {
    }

    @Override
    public void revoked(Revocation kind) {
    }

    @Override
    public void loginFailed() {
    }

    @Override
    public void loginThrottled() {
    }
}
