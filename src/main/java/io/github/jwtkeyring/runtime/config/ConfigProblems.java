package io.github.jwtkeyring.runtime.config;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Collects what is wrong with the configuration, so that startup reports every problem at once, each naming its key
 * and what would be valid. Quarkus prints a {@link ConfigurationException} without a stack trace and stops.
 */
public final class ConfigProblems {

    private final List<String> problems = new ArrayList<>();

    /** Records that {@code key} is wrong; {@code message} says why and what would be valid, and never holds a secret. */
    public void add(String key, String message) {
        problems.add(key + ": " + message);
    }

    /** Records a problem that concerns several keys or none; the message names them. */
    public void add(String message) {
        problems.add(message);
    }

    /** Whether nothing is wrong so far. */
    public boolean none() {
        return problems.isEmpty();
    }

    /**
     * Stops startup with every problem recorded, if there is any.
     *
     * @throws ConfigurationException listing them
     */
    public void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("JWT Keyring cannot start: ").append(problems.size())
                .append(problems.size() == 1 ? " configuration problem" : " configuration problems");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        throw new ConfigurationException(message.toString());
    }
}
