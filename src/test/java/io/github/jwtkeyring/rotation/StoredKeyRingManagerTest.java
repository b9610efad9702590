package io.github.jwtkeyring.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.memory.MemoryKeyRingStore;
import io.github.jwtkeyring.testing.MutableClock;

class StoredKeyRingManagerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration PUBLISH_AHEAD = Duration.ofDays(2);
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final RotationPolicy POLICY = new RotationPolicy(SigningAlgorithm.ES256, PERIOD, PUBLISH_AHEAD, LIFETIME,
            Duration.ofSeconds(60));
    private static final Rotation ROTATION = new Rotation(POLICY, new JdkKeyGenerator(new SecureRandom(), 2048));

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingStore store = new RecordingStore(new MemoryKeyRingStore());

    private KeyRingManager manager() {
        return new StoredKeyRingManager(store, ROTATION, clock);
    }

    // --- start

    @Test
    void start_onEmptyStore_createsAnActiveKey_andPublishesTheNextAtOnce_andSavesThem() {
        KeyRingManager manager = manager();

        KeyRing ring = manager.start();

        assertThat(ring.keys()).hasSize(2);
        assertThat(ring.active().state()).isEqualTo(KeyState.ACTIVE);
        assertThat(ring.active().metadata().activates()).isEqualTo(T0);
        assertThat(ring.pending().orElseThrow().metadata().activates()).isEqualTo(T0.plus(PERIOD));
        assertThat(store.saves).isEqualTo(1);
        assertThat(store.load()).containsSame(ring);
        assertThat(manager.current()).isSameAs(ring);
    }

    @Test
    void start_onStoredRing_keepsTheActiveKeyAndWritesNothingWhenNothingIsDue() {
        KeyRing first = manager().start();
        clock.advance(Duration.ofDays(5));
        store.saves = 0;

        KeyRing restarted = manager().start();

        assertThat(restarted).isSameAs(first);
        assertThat(restarted.active().kid()).isEqualTo(first.active().kid());
        assertThat(restarted.keys()).hasSize(2);
        assertThat(store.saves).isZero();
    }

    @Test
    void start_onStoredRing_repeatedRestartsNeverCreateKeys() {
        KeyRing first = manager().start();

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(1));
            assertThat(manager().start()).isSameAs(first);
        }
    }

    @Test
    void start_onStoredRingWithPendingDue_appliesOnlyWhatIsDueAndSavesIt() {
        KeyRing first = manager().start();
        clock.set(T0.plus(PERIOD));

        KeyRing restarted = manager().start();

        assertThat(restarted.active().kid()).isEqualTo(first.pending().orElseThrow().kid());
        assertThat(restarted.require(first.active().kid()).state()).isEqualTo(KeyState.RETIRED);
        assertThat(restarted.pending()).isPresent();
        assertThat(store.load()).containsSame(restarted);
    }

    @Test
    void current_beforeStart_isRefused() {
        assertThatThrownBy(() -> manager().current()).isInstanceOf(KeyringException.class);
    }

    @Test
    void start_whenStoreCannotSave_failsAndLeavesNothingLoaded() {
        store.failSaves = true;
        KeyRingManager manager = manager();

        assertThatThrownBy(manager::start).isInstanceOf(StoreException.class);
        assertThatThrownBy(manager::current).isInstanceOf(KeyringException.class);
        assertThat(store.load()).isEmpty();
    }

    // --- changes and a failing store

    @Test
    void tick_whenStoreCannotSave_leavesCurrentUnchanged() {
        KeyRingManager manager = manager();
        KeyRing before = manager.start();
        clock.set(T0.plus(PERIOD));
        store.failSaves = true;

        assertThatThrownBy(manager::tick).isInstanceOf(StoreException.class);

        assertThat(manager.current()).isSameAs(before);
        assertThat(store.load()).containsSame(before);
    }

    @Test
    void rotateNowAndRevoke_whenStoreCannotSave_leaveCurrentUnchanged() {
        KeyRingManager manager = manager();
        KeyRing before = manager.start();
        store.failSaves = true;

        assertThatThrownBy(() -> manager.rotate(before.active().kid(), true)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> manager.revoke(before.active().kid())).isInstanceOf(StoreException.class);

        assertThat(manager.current()).isSameAs(before);
    }

    @Test
    void tick_afterStoreRecovers_appliesTheChange() {
        KeyRingManager manager = manager();
        KeyRing before = manager.start();
        clock.set(T0.plus(PERIOD));
        store.failSaves = true;
        assertThatThrownBy(manager::tick).isInstanceOf(StoreException.class);
        store.failSaves = false;

        KeyRing after = manager.tick();

        assertThat(after.active().kid()).isEqualTo(before.pending().orElseThrow().kid());
        assertThat(manager.current()).isSameAs(after);
        assertThat(store.load()).containsSame(after);
    }

    @Test
    void tick_whenNothingIsDue_returnsCurrentRingWithoutSaving() {
        KeyRingManager manager = manager();
        KeyRing ring = manager.start();
        store.saves = 0;
        clock.advance(Duration.ofDays(1));

        assertThat(manager.tick()).isSameAs(ring);
        assertThat(store.saves).isZero();
    }

    @Test
    void rotateNow_ofAKeyPublishedLongEnough_savesAndSwapsInTheNewRing() {
        KeyRingManager manager = manager();
        KeyRing before = manager.start();
        clock.advance(Duration.ofDays(1));

        KeyRing after = manager.rotateNow();

        assertThat(after.active().kid()).isEqualTo(before.pending().orElseThrow().kid());
        assertThat(manager.current()).isSameAs(after);
        assertThat(store.load()).containsSame(after);
    }

    @Test
    void rotateNow_ofAKeyPublishedTooBriefly_schedulesIt_andKeepsTheActiveKeySigning() {
        KeyRingManager manager = manager();
        KeyRing before = manager.start();
        clock.advance(Duration.ofMinutes(5));

        KeyRing after = manager.rotateNow();

        assertThat(after.active().kid()).isEqualTo(before.active().kid());
        assertThat(after.pending().orElseThrow().metadata().activates())
                .isEqualTo(T0.plus(POLICY.minimumPublication()));
        assertThat(store.load()).containsSame(after);

        clock.set(T0.plus(POLICY.minimumPublication()));
        assertThat(manager.tick().active().kid()).isEqualTo(before.pending().orElseThrow().kid());
    }

    // --- signingKey

    @Test
    void signingKey_withLongerLifetime_recordsItAndSaves() {
        KeyRingManager manager = manager();
        KeyRing before = manager.start();
        store.saves = 0;
        Duration longer = Duration.ofHours(2);

        ManagedKey key = manager.signingKey(longer);

        assertThat(key.kid()).isEqualTo(before.active().kid());
        assertThat(key.metadata().maxIssuedLifetime()).isEqualTo(longer);
        assertThat(store.saves).isEqualTo(1);
        assertThat(store.load().orElseThrow().active().metadata().maxIssuedLifetime()).isEqualTo(longer);
        assertThat(manager.current().active().metadata().maxIssuedLifetime()).isEqualTo(longer);
    }

    @Test
    void signingKey_withDefaultOrShorterLifetime_writesNothing() {
        KeyRingManager manager = manager();
        KeyRing ring = manager.start();
        store.saves = 0;

        assertThat(manager.signingKey(LIFETIME)).isSameAs(ring.active());
        assertThat(manager.signingKey(Duration.ofMinutes(1))).isSameAs(ring.active());
        assertThat(store.saves).isZero();
        assertThat(manager.current()).isSameAs(ring);
    }

    @Test
    void signingKey_longerLifetimeRecorded_widensTheRetireWindowAtTheNextRotation() {
        KeyRingManager manager = manager();
        String kid = manager.start().active().kid();
        manager.signingKey(Duration.ofHours(8));
        clock.set(T0.plus(PERIOD).minus(PUBLISH_AHEAD));
        manager.tick();
        clock.set(T0.plus(PERIOD));

        KeyRing rotated = manager.tick();

        assertThat(rotated.require(kid).metadata().destroyAfter())
                .isEqualTo(T0.plus(PERIOD).plus(POLICY.retireWindow(Duration.ofHours(8))));
    }

    @Test
    void signingKey_whenStoreCannotSave_failsAndRecordsNothing() {
        KeyRingManager manager = manager();
        KeyRing ring = manager.start();
        store.failSaves = true;

        assertThatThrownBy(() -> manager.signingKey(Duration.ofHours(2))).isInstanceOf(StoreException.class);
        assertThat(manager.current()).isSameAs(ring);
    }

    /** Delegates to a real store, counts saves and can be told to refuse them. */
    private static final class RecordingStore implements KeyRingStore {
        private final KeyRingStore delegate;
        int saves;
        boolean failSaves;

        RecordingStore(KeyRingStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<KeyRing> load() {
            return delegate.load();
        }

        @Override
        public void save(KeyRing ring) {
            if (failSaves) {
                throw new StoreException("disk full");
            }
            saves++;
            delegate.save(ring);
        }

        @Override
        public String describe() {
            return "recording " + delegate.describe();
        }
    }
}
