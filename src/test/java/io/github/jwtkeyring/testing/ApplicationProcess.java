package io.github.jwtkeyring.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) started as a real process in the prod profile,
 * on a free loopback port, with the same JVM as the tests. Used where a test needs what {@code @QuarkusTest} cannot
 * give: a restart, or a startup that must fail.
 */
public final class ApplicationProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final long START_TIMEOUT_SECONDS = 90;

    private final Process process;
    private final int port;
    private final List<String> output = new ArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ApplicationProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(this::pump, "app-output-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the application with {@code properties} as system properties and {@code environment} added to the
     * environment. Does not wait for it; see {@link #awaitStarted()} and {@link #awaitExit()}.
     */
    public static ApplicationProcess start(Map<String, String> properties, Map<String, String> environment) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the tests with './mvnw verify', which packages the "
                    + "application before the integration tests.");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.add("-jar");
        command.add(JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("KEYRING_"));
        builder.environment().putAll(environment);
        try {
            return new ApplicationProcess(builder.start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the application listens, or fails with its output. */
    public ApplicationProcess awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains("Listening on")) {
                return this;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                throw new AssertionError("The application exited with " + process.exitValue() + ":\n" + output());
            }
        }
        throw new AssertionError("The application did not start within " + START_TIMEOUT_SECONDS + " s:\n" + output());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("The application did not exit within " + START_TIMEOUT_SECONDS + " s:\n"
                    + output());
        }
        return process.exitValue();
    }

    /** The operating system's id of the process. */
    public long pid() {
        return process.pid();
    }

    /** The base URI, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** Everything the process printed so far. */
    public synchronized String output() {
        return String.join("\n", output);
    }

    /** Stops the application gracefully (SIGTERM) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * Kills the application at once (SIGKILL), as a crash or an out-of-memory killer would: no shutdown hooks, no
     * graceful close of its connections. Waits until the process is gone.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    output.add(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
