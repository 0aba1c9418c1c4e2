package io.github.kslr.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client of the demo server for the tests: it queues every message it receives (binary ones as
 * "binary:N"). Its listener methods run on the HTTP client's thread; the queue hands the messages to the test's.
 */
public final class DemoClient implements WebSocket.Listener {
    /** Every message, in order; binary ones as "binary:N", the close as "closed:CODE". */
    public final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

    private final StringBuilder text = new StringBuilder();
    private int binaryBytes;
    volatile int closeCode = -1;
    public WebSocket ws;

    public static DemoClient connect(int port, String origin) {
        DemoClient c = new DemoClient();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (origin != null) {
            b.header("Origin", origin);
        }
        c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), c).join();
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        binaryBytes += data.remaining();
        if (last) {
            messages.add("binary:" + binaryBytes);
            binaryBytes = 0;
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        messages.add("closed:" + statusCode);
        return null;
    }

    public JsonObject next() throws InterruptedException {
        String m = messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no message from the server within 10 s");
        assertTrue(m.startsWith("{"), "expected a JSON message, got " + m);
        return JsonParser.parseString(m).getAsJsonObject();
    }

    public JsonObject nextOfType(String type) throws InterruptedException {
        JsonObject m = next();
        assertEquals(type, m.get("type").getAsString(), m.toString());
        return m;
    }
}
