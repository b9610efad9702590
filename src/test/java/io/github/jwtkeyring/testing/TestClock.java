package io.github.jwtkeyring.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The clock of every {@code @QuarkusTest}: starts at the real time of day and moves only when a test moves it.
 */
@Alternative
@Priority(1)
@Singleton
public class TestClock extends MutableClock {

    public TestClock() {
        super(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
}
