package io.github.jwtkeyring.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Chrome DevTools Protocol connection over the JDK's WebSocket client: commands sent with an id and answered by the
 * reply with that id, and events (messages without an id) handed to a listener on the WebSocket's thread.
 */
final class DevToolsConnection implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final BiConsumer<String, JsonNode> events;
    private WebSocket socket;

    private DevToolsConnection(BiConsumer<String, JsonNode> events) {
        this.events = events;
    }

    /** Connects to a target's {@code webSocketDebuggerUrl}; {@code events} gets each event's method and params. */
    static DevToolsConnection open(HttpClient http, URI target, BiConsumer<String, JsonNode> events)
            throws IOException {
        DevToolsConnection connection = new DevToolsConnection(events);
        connection.socket = await(http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                .buildAsync(target, connection.new Listener()), "the DevTools WebSocket " + target);
        return connection;
    }

    /** Sends a command and returns its result. */
    JsonNode send(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(JSON.writeValueAsString(message), true);
            JsonNode reply = await(answer, method);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pending.remove(id);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    static <T> T await(CompletableFuture<T> future, String what) throws IOException {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for " + what + ".", e);
        } catch (ExecutionException e) {
            throw new IOException("Waiting for " + what + " failed.", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("No answer within " + TIMEOUT + " from " + what + ".", e);
        }
    }

    /** Joins the fragments of each message, then completes the command it answers or hands it to the listener. */
    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                dispatch(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void dispatch(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException e) {
                events.accept("unreadable", JSON.createObjectNode().put("error", e.getMessage()));
                return;
            }
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.get(message.get("id").asInt());
                if (answer != null) {
                    answer.complete(message);
                }
            } else {
                events.accept(message.path("method").asText(), message.path("params"));
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }
}
