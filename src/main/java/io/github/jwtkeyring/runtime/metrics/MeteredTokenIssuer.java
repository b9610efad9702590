package io.github.jwtkeyring.runtime.metrics;

import io.github.jwtkeyring.issue.AccessTokenRequest;
import io.github.jwtkeyring.issue.IssuedToken;
import io.github.jwtkeyring.issue.TokenIssuer;

/** A {@link TokenIssuer} that counts and times each token it signs. */
public final class MeteredTokenIssuer implements TokenIssuer {

    private final TokenIssuer issuer;
    private final KeyringMetrics metrics;

    public MeteredTokenIssuer(TokenIssuer issuer, KeyringMetrics metrics) {
        this.issuer = issuer;
        this.metrics = metrics;
    }

    @Override
    public IssuedToken issue(AccessTokenRequest request) {
        long started = System.nanoTime();
        IssuedToken token = issuer.issue(request);
        metrics.issued(token.algorithm(), System.nanoTime() - started);
        return token;
    }

    @Override
    public String toString() {
        return "MeteredTokenIssuer[" + issuer + "]";
    }
}
