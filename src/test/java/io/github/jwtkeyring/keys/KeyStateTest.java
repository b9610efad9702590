package io.github.jwtkeyring.keys;

import static io.github.jwtkeyring.keys.KeyState.ACTIVE;
import static io.github.jwtkeyring.keys.KeyState.DESTROYED;
import static io.github.jwtkeyring.keys.KeyState.PENDING;
import static io.github.jwtkeyring.keys.KeyState.RETIRED;
import static io.github.jwtkeyring.keys.KeyState.REVOKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class KeyStateTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** The lifecycle as documented: PENDING → ACTIVE → RETIRED → DESTROYED, and any live state → REVOKED. */
    private static final Set<List<KeyState>> LEGAL = Set.of(
            List.of(PENDING, ACTIVE),
            List.of(PENDING, REVOKED),
            List.of(ACTIVE, RETIRED),
            List.of(ACTIVE, REVOKED),
            List.of(RETIRED, DESTROYED),
            List.of(RETIRED, REVOKED));

    static Stream<Arguments> allPairs() {
        return Arrays.stream(KeyState.values())
                .flatMap(from -> Arrays.stream(KeyState.values()).map(to -> Arguments.of(from, to)));
    }

    static Stream<Arguments> legalPairs() {
        return allPairs().filter(a -> legal((KeyState) a.get()[0], (KeyState) a.get()[1]));
    }

    static Stream<Arguments> illegalPairs() {
        return allPairs().filter(a -> !legal((KeyState) a.get()[0], (KeyState) a.get()[1]));
    }

    private static boolean legal(KeyState from, KeyState to) {
        return LEGAL.contains(List.of(from, to));
    }

    private static KeyMetadata metadata(String kid, KeyState state) {
        return new KeyMetadata(kid, SigningAlgorithm.ES256, state, T0, T0.plusSeconds(10), T0.plusSeconds(20),
                T0.plusSeconds(30), T0.plusSeconds(40), Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("allPairs")
    void canMoveTo_allowsExactlyTheDocumentedLifecycle(KeyState from, KeyState to) {
        assertThat(from.canMoveTo(to)).isEqualTo(legal(from, to));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("legalPairs")
    void moveTo_legalTransition_changesOnlyTheState(KeyState from, KeyState to) {
        KeyMetadata before = metadata("kid-legal", from);

        KeyMetadata after = before.moveTo(to);

        assertThat(after.state()).isEqualTo(to);
        assertThat(after).usingRecursiveComparison().ignoringFields("state").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("illegalPairs")
    void moveTo_illegalTransition_throwsNamingKidAndStates(KeyState from, KeyState to) {
        KeyMetadata before = metadata("kid-illegal", from);

        assertThatThrownBy(() -> before.moveTo(to))
                .isInstanceOfSatisfying(IllegalKeyTransitionException.class, e -> {
                    assertThat(e.kid()).isEqualTo("kid-illegal");
                    assertThat(e.from()).isEqualTo(from);
                    assertThat(e.to()).isEqualTo(to);
                })
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("kid-illegal")
                .hasMessageContaining(from.name())
                .hasMessageContaining(to.name());
    }

    @Test
    void lifecycle_hasExactlySixLegalTransitions() {
        long allowed = allPairs().filter(a -> ((KeyState) a.get()[0]).canMoveTo((KeyState) a.get()[1])).count();

        assertThat(allowed).isEqualTo(6);
    }

    @Test
    void terminalStates_cannotMoveAnywhere() {
        for (KeyState target : KeyState.values()) {
            assertThat(DESTROYED.canMoveTo(target)).as("DESTROYED -> %s", target).isFalse();
            assertThat(REVOKED.canMoveTo(target)).as("REVOKED -> %s", target).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(KeyState.class)
    void verifies_onlyForPendingActiveAndRetired(KeyState state) {
        boolean live = state == PENDING || state == ACTIVE || state == RETIRED;

        assertThat(state.verifies()).isEqualTo(live);
        assertThat(state.holdsMaterial()).isEqualTo(live);
    }

    @Test
    void metadata_withBlankKid_isRefused() {
        assertThatThrownBy(() -> metadata(" ", ACTIVE)).isInstanceOf(KeyringException.class);
    }

    @Test
    void withIssuedLifetime_neverShortensTheRecordedLifetime() {
        KeyMetadata metadata = metadata("kid", ACTIVE);

        assertThat(metadata.withIssuedLifetime(Duration.ofMinutes(1)).maxIssuedLifetime())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(metadata.withIssuedLifetime(Duration.ofHours(1)).maxIssuedLifetime())
                .isEqualTo(Duration.ofHours(1));
    }
}
