package io.github.kslr.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.examples.pipeline.FrameResult;
import io.github.kslr.examples.pipeline.RecognitionSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo server's protocol and its error answers, over a real WebSocket (the JDK's client). The recognition
 * session here only records what reached it: these tests are about what must never reach it.
 */
class DemoServerTest {
    private static final int LIMIT = 4096;

    /** Records the frames that reached the session; finds nothing in them. */
    static final class RecordingSession implements RecognitionSession {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final AtomicInteger clears = new AtomicInteger();
        volatile boolean closed;
        volatile RuntimeException failWith;

        @Override
        public FrameResult process(ImageFrame frame) {
            if (failWith != null) {
                throw failWith;
            }
            frames.add(frame.width() + "x" + frame.height() + "@" + frame.timestampMs());
            return new FrameResult(HolisticLandmarks.empty(frame.timestampMs(), frame.width(), frame.height()), null,
                    List.of(), "", 0, 0);
        }

        @Override
        public String sentence() {
            return "";
        }

        @Override
        public void clear() {
            clears.incrementAndGet();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<RecordingSession> sessions = new CopyOnWriteArrayList<>();
    private DemoServer server;

    @BeforeEach
    void start() {
        server = DemoServer.builder().port(0).maxFrameBytes(LIMIT).sessions(() -> {
            RecordingSession s = new RecordingSession();
            sessions.add(s);
            return s;
        }).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A WebSocket client that queues every message it receives (binary ones as "binary:N"). */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private int binaryBytes;
        volatile int closeCode = -1;
        WebSocket ws;

        static Client connect(int port, String origin) {
            Client c = new Client();
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

        JsonObject next() throws InterruptedException {
            String m = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no message from the server within 10 s");
            assertTrue(m.startsWith("{"), "expected a JSON message, got " + m);
            return JsonParser.parseString(m).getAsJsonObject();
        }

        JsonObject nextOfType(String type) throws InterruptedException {
            JsonObject m = next();
            assertEquals(type, m.get("type").getAsString(), m.toString());
            return m;
        }
    }

    private Client connect() throws InterruptedException {
        Client c = Client.connect(server.port(), null);
        JsonObject hello = c.nextOfType("hello");
        assertEquals(LIMIT, hello.get("maxFrameBytes").getAsInt());
        assertEquals(false, hello.get("speech").getAsBoolean());
        assertEquals(false, hello.get("video").getAsBoolean());
        return c;
    }

    private static byte[] jpeg(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "jpeg", out));
        return out.toByteArray();
    }

    @Test
    void oversizedFrameIsAnsweredWithAnErrorAndTheConnectionLives() throws Exception {
        Client c = connect();
        c.ws.sendBinary(ByteBuffer.wrap(new byte[LIMIT + 1]), true).join();
        JsonObject err = c.nextOfType("error");
        assertEquals("frame-too-large", err.get("code").getAsString());
        String msg = err.get("message").getAsString();
        assertTrue(msg.contains(Integer.toString(LIMIT + 1)) && msg.contains(Integer.toString(LIMIT)), msg);
        assertTrue(sessions.get(0).frames.isEmpty(), "an oversized frame reached the session");

        // Still usable afterwards: a real frame is recognised.
        byte[] frame = jpeg(64, 48);
        assertTrue(frame.length <= LIMIT);
        c.ws.sendBinary(ByteBuffer.wrap(frame), true).join();
        JsonObject r = c.nextOfType("result");
        assertEquals(64, r.get("width").getAsInt());
        assertEquals(48, r.get("height").getAsInt());
        assertEquals(0, r.get("frame").getAsLong());
        assertTrue(r.get("pose").isJsonNull());
        assertEquals(1, sessions.get(0).frames.size());
    }

    @Test
    void unknownAndMalformedMessagesAreAnsweredWithErrors() throws Exception {
        Client c = connect();
        for (String bad : new String[] {"{\"type\":\"dance\"}", "not json at all", "[1,2,3]", "{\"kind\":\"clear\"}",
            "{\"type\":{\"nested\":1}}"}) {
            c.ws.sendText(bad, true).join();
            JsonObject err = c.nextOfType("error");
            assertEquals("unknown-message", err.get("code").getAsString(), bad);
            assertTrue(err.get("message").getAsString().contains("clear"), err.toString());
        }
        c.ws.sendText("{\"type\":\"clear\"}", true).join();
        c.nextOfType("cleared");
        assertEquals(1, sessions.get(0).clears.get());
    }

    @Test
    void framesThatAreNotJpegAreRejectedBeforeTheSession() throws Exception {
        Client c = connect();
        c.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}), true).join();
        assertEquals("bad-frame", c.nextOfType("error").get("code").getAsString());
        byte[] truncated = java.util.Arrays.copyOf(jpeg(64, 48), 40);
        c.ws.sendBinary(ByteBuffer.wrap(truncated), true).join();
        assertEquals("bad-frame", c.nextOfType("error").get("code").getAsString());
        assertTrue(sessions.get(0).frames.isEmpty());
    }

    @Test
    void framesGetIncreasingTimestamps() throws Exception {
        Client c = connect();
        byte[] frame = jpeg(32, 24);
        for (int i = 0; i < 3; i++) {
            c.ws.sendBinary(ByteBuffer.wrap(frame), true).join();
            assertEquals(i, c.nextOfType("result").get("frame").getAsLong());
        }
        List<String> f = sessions.get(0).frames;
        long prev = -1;
        for (String s : f) {
            long t = Long.parseLong(s.substring(s.indexOf('@') + 1));
            assertTrue(t > prev, f.toString());
            prev = t;
        }
    }

    @Test
    void aFailingFrameIsReportedAndTheStreamGoesOn() throws Exception {
        Client c = connect();
        sessions.get(0).failWith = new IllegalStateException("model exploded");
        c.ws.sendBinary(ByteBuffer.wrap(jpeg(32, 24)), true).join();
        JsonObject err = c.nextOfType("error");
        assertEquals("recognition-failed", err.get("code").getAsString());
        assertTrue(err.get("message").getAsString().contains("model exploded"), err.toString());
        sessions.get(0).failWith = null;
        c.ws.sendBinary(ByteBuffer.wrap(jpeg(32, 24)), true).join();
        assertEquals(32, c.nextOfType("result").get("width").getAsInt());
    }

    @Test
    void speakWithoutVoiceAndVideoWithoutFileAreErrors() throws Exception {
        Client c = connect();
        c.ws.sendText("{\"type\":\"speak\"}", true).join();
        assertEquals("speech-unavailable", c.nextOfType("error").get("code").getAsString());
        c.ws.sendText("{\"type\":\"video\"}", true).join();
        assertEquals("no-video", c.nextOfType("error").get("code").getAsString());
    }

    @Test
    void eachConnectionHasItsOwnSessionClosedWithIt() throws Exception {
        Client a = connect();
        Client b = connect();
        assertEquals(2, sessions.size());
        a.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sessions.get(0).closed && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(sessions.get(0).closed, "closing a connection closes its session");
        assertTrue(!sessions.get(1).closed);
        b.ws.sendText("{\"type\":\"clear\"}", true).join();
        b.nextOfType("cleared");
    }

    @Test
    void upgradesFromAnotherOriginAreRefused() throws Exception {
        CompletionException e = assertThrows(CompletionException.class,
                () -> Client.connect(server.port(), "http://evil.example"));
        assertNotNull(e.getCause());
        Client ok = Client.connect(server.port(), "http://127.0.0.1:" + server.port());
        ok.nextOfType("hello");
    }

    @Test
    void servesThePageOnLocalhost() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        for (String id : new String[] {"camera-toggle", "landmarks-toggle", "overlay", "transcript", "clear",
            "speak"}) {
            assertTrue(page.body().contains("id=\"" + id + "\""), id);
        }
        HttpResponse<String> js = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/app.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, js.statusCode());
    }

    @Test
    void builderRejectsBadOptions() {
        assertThrows(InvalidInputException.class, () -> DemoServer.builder().build());
        assertThrows(InvalidInputException.class,
                () -> DemoServer.builder().sessions(RecordingSession::new).port(70000).build());
        assertThrows(InvalidInputException.class,
                () -> DemoServer.builder().sessions(RecordingSession::new).maxFrameBytes(0).build());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DemoServer.builder()
                .sessions(RecordingSession::new).video(Path.of("no-such-video.mp4")).build());
        assertTrue(e.getMessage().contains("no-such-video.mp4"), e.getMessage());
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        java.net.InetAddress external = null;
        for (java.net.NetworkInterface nic : java.util.Collections.list(
                java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    external = a;
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(external != null,
                "this machine has no non-loopback IPv4 address to try");
        try (java.net.Socket s = new java.net.Socket()) {
            java.net.InetAddress target = external;
            assertThrows(java.net.ConnectException.class,
                    () -> s.connect(new java.net.InetSocketAddress(target, server.port()), 2000));
        }
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 2000);
            assertTrue(s.isConnected());
        }
    }

    @Test
    void sameHostComparesOriginWithHostHeader() {
        assertTrue(DemoServer.sameHost("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assertTrue(!DemoServer.sameHost("http://evil.example", "127.0.0.1:8080"));
        assertTrue(!DemoServer.sameHost("null", "127.0.0.1:8080"));
    }
}
