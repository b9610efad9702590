package io.github.jwtkeyring.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.SubjectRevoked;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;

/** The snapshot every request is checked against: what it rejects, and that no change alters an older snapshot. */
class RevocationListTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant LATER = T0.plusSeconds(3600);

    private static TokenRevoked token(String jti) {
        return new TokenRevoked(jti, LATER);
    }

    private static FamilyRecorded family(String id, boolean revoked) {
        RefreshFamily family = new RefreshFamily(id, "alice", Set.of(), T0, 0, LATER, null, LATER);
        return new FamilyRecorded(revoked ? family.revoked(T0, LATER) : family);
    }

    @Test
    void with_returnsANewSnapshot_andLeavesTheOldOneAsItWas() {
        RevocationList before = RevocationList.EMPTY.with(List.of(token("jti-1")));

        RevocationList after = before.with(List.of(token("jti-2"), new SubjectRevoked("mallory", T0, LATER)));

        assertThat(after.rejection("jti-2", "alice", T0, null)).isPresent();
        assertThat(after.rejection("jti-9", "mallory", T0, null)).isPresent();
        assertThat(before.rejection("jti-2", "alice", T0, null)).as("the old snapshot").isEmpty();
        assertThat(before.rejection("jti-9", "mallory", T0, null)).isEmpty();
        assertThat(before.size()).isEqualTo(1);
        assertThat(after.size()).isEqualTo(3);
    }

    @Test
    void with_onlyRevokedFamiliesReject_andEventsThatRevokeNothingKeepTheSameSnapshot() {
        RevocationList list = RevocationList.EMPTY.with(List.of(family("live", false), family("dead", true)));

        assertThat(list.rejection("jti", "alice", T0, "dead")).hasValueSatisfying(r -> assertThat(r).contains("dead"));
        assertThat(list.rejection("jti", "alice", T0, "live")).isEmpty();
        assertThat(list.with(List.of(new RefreshTokenRecorded("hash", "live", 0, LATER), family("live", false))))
                .isSameAs(list);
    }

    @Test
    void subjectCutoff_isTheLatestOfEveryRevocationOfTheSubject() {
        RevocationList list = RevocationList.EMPTY.with(List.of(new SubjectRevoked("alice", T0.plusSeconds(60), LATER)));
        assertThat(list.subjectCutoff("alice")).contains(T0.plusSeconds(60));

        RevocationList older = list.with(List.of(new SubjectRevoked("alice", T0, LATER)));
        RevocationList newer = list.with(List.of(new SubjectRevoked("alice", T0.plusSeconds(120), LATER)));

        assertThat(older.subjectCutoff("alice")).as("an older revocation recorded later").contains(T0.plusSeconds(60));
        assertThat(newer.subjectCutoff("alice")).contains(T0.plusSeconds(120));
        assertThat(newer.rejection("j", "alice", T0.plusSeconds(90), null)).isPresent();
        assertThat(older.rejection("j", "alice", T0.plusSeconds(90), null)).isEmpty();
        assertThat(newer.subjectCutoff("bob")).isEmpty();
    }

    @Test
    void manyChangesOneByOne_loseNone_countEachOnce_andLeaveEarlierSnapshotsAsTheyWere() {
        RevocationList list = RevocationList.EMPTY;
        List<RevocationList> snapshots = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            list = list.with(List.of(token("jti-" + i), token("jti-" + (i / 2))));
            snapshots.add(list);
        }

        for (int i = 0; i < 5000; i++) {
            assertThat(list.rejection("jti-" + i, "alice", T0, null)).as("jti-%d", i).isPresent();
        }
        assertThat(list.size()).isEqualTo(5000);
        assertThat(list.events()).hasSize(5000);
        assertThat(snapshots.get(99).rejection("jti-100", "alice", T0, null)).as("an early snapshot").isEmpty();
        assertThat(snapshots.get(99).size()).isEqualTo(100);
    }

    @Test
    void pruned_forgetsOnlyWhatCanNoLongerRejectAnything() {
        RevocationList list = RevocationList.EMPTY.with(List.of(new TokenRevoked("short", T0.plusSeconds(10)),
                token("long"), new SubjectRevoked("mallory", T0, T0.plusSeconds(10)), family("dead", true)));

        RevocationList atExpiry = list.pruned(T0.plusSeconds(10));
        RevocationList after = list.pruned(T0.plusSeconds(11));

        assertThat(atExpiry.size()).isEqualTo(3);
        assertThat(after.rejection("short", "alice", T0, null)).isEmpty();
        assertThat(after.subjectCutoff("mallory")).isEmpty();
        assertThat(after.rejection("long", "alice", T0, null)).isPresent();
        assertThat(after.rejection("x", "alice", T0, "dead")).isPresent();
        assertThat(after.size()).isEqualTo(1);
        assertThat(list.size()).as("the unpruned snapshot").isEqualTo(3);
    }
}
