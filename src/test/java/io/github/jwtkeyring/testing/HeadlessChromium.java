package io.github.jwtkeyring.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real browser for tests: Debian's headless Chromium, driven over the Chrome DevTools Protocol with the JDK's
 * WebSocket client, without Selenium or a driver binary. It starts with a fresh profile in a temporary directory and
 * one page, records every console error, uncaught exception and error log entry (Content-Security-Policy violations
 * among them) as a {@linkplain #problems() problem}, and on {@link #close()} kills the browser with all its processes
 * and deletes the profile.
 * <p>
 * Waits poll a condition in the page until a deadline; nothing sleeps for a fixed time.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Where Debian's package {@code chromium} installs the browser. */
    public static final Path BINARY = Path.of("/usr/bin/chromium");

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private DevToolsConnection devTools;

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /**
     * Starts the browser on {@code about:blank} and connects to its page, with the Runtime, Log, Page and Network
     * domains enabled.
     *
     * @throws AssertionError if Chromium is not installed, naming the package to install
     */
    public static HeadlessChromium start() throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("Chromium is not installed: the key timeline's browser test drives a real "
                    + "headless Chromium (" + BINARY + "). Install the Debian package chromium "
                    + "(apt-get install --no-install-recommends chromium; .ci/run does it).");
        }
        Path profile = Files.createTempDirectory("keyring-chromium-");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--window-size=1000,700", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        HeadlessChromium browser = new HeadlessChromium(process, profile);
        try {
            browser.connect(browser.devToolsEndpoint());
            for (String domain : List.of("Runtime", "Log", "Page", "Network")) {
                browser.send(domain + ".enable", Map.of());
            }
            return browser;
        } catch (IOException | RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    /** Reads stderr, which keeps being drained, until Chromium says where DevTools listens. */
    private URI devToolsEndpoint() throws IOException {
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    stderr.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended; the future fails below
            }
            endpoint.completeExceptionally(new IOException("Chromium exited before DevTools listened:\n"
                    + String.join("\n", stderr)));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return await(endpoint, "Chromium's DevTools endpoint");
    }

    /** Connects to the first page target, listed by the browser's {@code /json/list}. */
    private void connect(URI browserEndpoint) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(DevToolsConnection.TIMEOUT).build();
        URI list = URI.create("http://" + browserEndpoint.getAuthority() + "/json/list");
        JsonNode targets;
        try {
            targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).timeout(DevToolsConnection.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while listing Chromium's targets.", e);
        }
        String page = Stream.of(JSON.convertValue(targets, JsonNode[].class))
                .filter(t -> "page".equals(t.path("type").asText())).map(t -> t.get("webSocketDebuggerUrl").asText())
                .findFirst().orElseThrow(() -> new IOException("Chromium has no page target: " + targets));
        devTools = DevToolsConnection.open(http, URI.create(page), this::event);
    }

    /** Sends a DevTools command and returns its result. */
    public JsonNode send(String method, Map<String, ?> params) {
        return devTools.send(method, params);
    }

    /** Sends these headers with every request of the page from now on; an empty map stops it. */
    public void extraHeaders(Map<String, String> headers) {
        send("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    /** Opens {@code url} and waits until the page has loaded. */
    public void open(String url, Duration deadline) {
        send("Page.navigate", Map.of("url", url));
        waitUntil("document.readyState === 'complete' && location.href === " + JSON.valueToTree(url), deadline);
    }

    /** The value of a JavaScript expression in the page, promises awaited. */
    public JsonNode evaluate(String expression) {
        JsonNode result = send("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("The page could not evaluate " + expression + ": "
                    + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Polls {@code condition} in the page until it is true; fails at {@code deadline}, naming it. */
    public void waitUntil(String condition, Duration deadline) {
        Instant end = Instant.now().plus(deadline);
        while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("Not true within " + deadline + ": " + condition + "; problems: " + problems);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + condition, e);
            }
        }
    }

    /** A PNG of the page as it is shown. */
    public byte[] screenshot() {
        return Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png"))
                .get("data").asText());
    }

    /**
     * Console errors, uncaught exceptions and error log entries (network failures, Content-Security-Policy
     * violations) since the browser started, one line each.
     */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void event(String method, JsonNode params) {
        switch (method) {
            case "Runtime.consoleAPICalled" -> {
                if (List.of("error", "assert").contains(params.path("type").asText())) {
                    problems.add("console." + params.path("type").asText() + ": " + params.path("args"));
                }
            }
            case "Runtime.exceptionThrown" -> problems.add("exception: " + params.path("exceptionDetails"));
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                if ("error".equals(entry.path("level").asText())) {
                    problems.add("log (" + entry.path("source").asText() + "): " + entry.path("text").asText()
                            + " " + entry.path("url").asText());
                }
            }
            case "unreadable" -> problems.add("unreadable DevTools message: " + params.path("error").asText());
            default -> {
                // other events are not needed
            }
        }
    }

    /**
     * Kills the browser and every process it started (SIGKILL: the profile is thrown away, so there is nothing to
     * shut down cleanly), waits for them to end, then deletes the profile.
     */
    @Override
    public void close() {
        if (devTools != null) {
            devTools.close();
        }
        List<ProcessHandle> processes = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        try {
            for (ProcessHandle p : processes) {
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("Chromium's processes did not end within 10 s of SIGKILL.", e);
        }
        delete(profile);
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The Chromium profile " + directory + " could not be deleted.", e);
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) throws IOException {
        try {
            return DevToolsConnection.await(future, what);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " Chromium said:\n" + String.join("\n", stderr), e);
        }
    }
}
