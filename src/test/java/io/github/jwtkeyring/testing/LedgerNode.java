package io.github.jwtkeyring.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;

import io.github.jwtkeyring.issue.RefreshFamilies;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.RefreshFamily;
import io.github.jwtkeyring.revocation.TokenLedger;

/**
 * What one node of the service holds of the token ledger: the {@link TokenLedger} on a journal and the
 * {@link RefreshFamilies} state machine on it, wired as the service wires them, with the calls its endpoints make.
 */
public record LedgerNode(TokenLedger ledger, RefreshFamilies families) {

    /** The start of the tests' clock. */
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    public static final Duration SKEW = Duration.ofSeconds(60);
    public static final Duration REFRESH_LIFETIME = Duration.ofHours(8);
    public static final Duration ACCESS_LIFETIME = Duration.ofMinutes(15);
    /** The ledger settings of the tests: a minute of skew, 8-hour refresh tokens, 15-minute access tokens. */
    public static final LedgerSettings SETTINGS = new LedgerSettings(SKEW, REFRESH_LIFETIME, () -> ACCESS_LIFETIME);

    public static LedgerNode on(LedgerJournal journal, InstantSource clock, LedgerSettings settings) {
        TokenLedger ledger = new TokenLedger(journal, clock, settings);
        return new LedgerNode(ledger, new RefreshFamilies(ledger, clock, settings));
    }

    public LedgerNode load() {
        ledger.load();
        return this;
    }

    public int sync() {
        return ledger.sync();
    }

    public Optional<String> rejection(String jti, String subject, Instant issuedAt, String sessionId) {
        return ledger.rejection(jti, subject, issuedAt, sessionId);
    }

    public void revokeToken(String jti, Optional<Instant> expiresAt) {
        ledger.revokeToken(jti, expiresAt);
    }

    public void revokeSubject(String subject) {
        ledger.revokeSubject(subject);
    }

    public RefreshFamily startFamily(String familyId, String subject, Set<String> groups, String tokenHash) {
        return families.start(familyId, subject, groups, tokenHash);
    }

    public RefreshFamily refresh(String presentedHash, String nextHash) {
        return families.exchange(presentedHash, nextHash);
    }

    public void logout(String jti, Instant expiresAt, String sessionId) {
        families.logout(jti, expiresAt, sessionId);
    }

    public void revokeFamily(String familyId) {
        families.revoke(familyId);
    }

    public Optional<RefreshFamily> family(String familyId) {
        return families.family(familyId);
    }

    public int prune() {
        return ledger.prune();
    }

    public int size() {
        return ledger.size();
    }

    public void close() {
        ledger.close();
    }
}
