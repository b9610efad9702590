package io.github.jwtkeyring.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: an application without it must never load a class that refers to it. Only
 * {@link MicrometerKeyringMetrics}, which exists only when Quarkus Micrometer is built in, may import it.
 */
class MicrometerIsolationTest {

    @Test
    void onlyTheMicrometerBean_importsMicrometer() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            List<String> importing = sources.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains("io.micrometer")).map(p -> p.getFileName().toString()).toList();
            assertThat(importing).containsExactly("MicrometerKeyringMetrics.java");
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
