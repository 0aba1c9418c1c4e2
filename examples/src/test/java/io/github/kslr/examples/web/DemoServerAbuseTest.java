package io.github.kslr.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.examples.media.VideoClipWriter;
import io.github.kslr.examples.web.DemoServerTest.RecordingSession;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo server under abuse, over real sockets on 127.0.0.1 (issue 18 items 5 and 6): a page on a rebound DNS
 * name, a page that stops reading while the server's video plays, more pages than the server accepts. Each test is
 * bounded to a few seconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DemoServerAbuseTest {
    private DemoServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private DemoServer start(DemoServer.Builder b) {
        server = b.port(0).sessions(RecordingSession::new).build().start();
        return server;
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedPageAndWebSocketAlike() throws Exception {
        int port = start(DemoServer.builder()).port();
        // The server's own names, on its port: served.
        for (String host :
                new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port}) {
            assertEquals(200, RawWebSocket.httpGet(port, "/", host), host);
        }
        // A rebound name, a name with another port, no port (80): refused, page and scripts alike.
        for (String host : new String[] {
            "evil.example:" + port,
            "evil.example",
            "127.0.0.1:" + (port + 1),
            "localhost.evil.example:" + port,
            "127.0.0.1.nip.io:" + port
        }) {
            assertEquals(421, RawWebSocket.httpGet(port, "/", host), host);
            assertEquals(421, RawWebSocket.httpGet(port, "/app.js", host), host);
        }
        // The rebinding page's own upgrade: Host and Origin agree, both the rebound name.
        try (RawWebSocket ws = RawWebSocket.connect(port, "evil.example:" + port, "http://evil.example:" + port, 0)) {
            assertEquals(421, ws.status, ws.response);
        }
        // An allowed Host with a foreign Origin, and an allowed name on another port: refused.
        for (String origin : new String[] {"http://evil.example:" + port, "http://localhost:" + (port + 1), "null"}) {
            try (RawWebSocket ws = RawWebSocket.connect(port, "127.0.0.1:" + port, origin, 0)) {
                assertEquals(403, ws.status, origin + ": " + ws.response);
            }
        }
        assertEquals(0, server.connectionCount());
        // The page opened as localhost talks to the server by either loopback name.
        try (RawWebSocket ws = RawWebSocket.connect(port, "localhost:" + port, "http://localhost:" + port, 0)) {
            assertEquals(101, ws.status, ws.response);
            assertTrue(ws.read().text().contains("\"type\":\"hello\""));
        }
    }

    @Test
    void aPageThatStopsReadingLosesTheOldestVideoFramesAndTheQueueStaysBounded() throws Exception {
        Path clip = noiseClip(dir.resolve("noise.mp4"), 640, 360, 150);
        int queued = 4;
        int port =
                start(DemoServer.builder().video(clip).maxQueuedFrames(queued)).port();
        try (RawWebSocket slow = RawWebSocket.connect(port, "127.0.0.1:" + port, null, 4096)) {
            assertEquals(101, slow.status, slow.response);
            slow.sendText("{\"type\":\"video\"}");
            // It reads nothing now, while the video plays (30 frames a second of incompressible pixels).
            DemoConnection c = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < deadline && (c == null || c.queue().dropped() < 5)) {
                c = server.connections().stream().findFirst().orElse(null);
                Thread.sleep(50);
            }
            assertTrue(
                    c != null && c.queue().dropped() >= 5,
                    "the server dropped no frames for a page that does" + " not read: "
                            + (c == null ? "no connection" : c.queue().dropped() + " dropped"));
            assertTrue(
                    c.queue().mostWaitingFrames() <= queued,
                    "frames waiting: " + c.queue().mostWaitingFrames());
            // Reading again, the page hears (in its results' stats) that it lost frames.
            long reported = 0;
            while (reported == 0) {
                RawWebSocket.Frame f = slow.read();
                assertTrue(f.opcode() != 8, "closed: " + f.closeCode() + " " + f.closeReason());
                if (f.opcode() == 1) {
                    JsonObject m = JsonParser.parseString(f.text()).getAsJsonObject();
                    String type = m.get("type").getAsString();
                    if ("result".equals(type) || "video-end".equals(type)) {
                        assertTrue(m.has("dropped"), "no dropped count in " + m);
                        reported = m.get("dropped").getAsLong();
                    }
                }
            }
            assertTrue(
                    reported <= c.queue().dropped(),
                    reported + " > " + c.queue().dropped());
            slow.sendText("{\"type\":\"stop-video\"}");
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedWithAReason() throws Exception {
        int cap = 3;
        int port = start(DemoServer.builder().maxConnections(cap)).port();
        List<DemoClient> open = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            DemoClient c = DemoClient.connect(port, null);
            c.nextOfType("hello");
            open.add(c);
        }
        // A flood beyond the cap: each gets the WebSocket, then at once a close saying why.
        List<RawWebSocket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                flood.add(RawWebSocket.connect(port, "127.0.0.1:" + port, null, 0));
            }
            for (RawWebSocket ws : flood) {
                assertEquals(101, ws.status, ws.response);
                RawWebSocket.Frame f = ws.read();
                assertEquals(8, f.opcode(), "expected a close, got " + f.opcode() + " " + f.text());
                assertEquals(1013, f.closeCode());
                assertTrue(
                        f.closeReason().contains("accepts " + cap)
                                && f.closeReason().contains("--max-connections"),
                        f.closeReason());
            }
        } finally {
            for (RawWebSocket ws : flood) {
                ws.close();
            }
        }
        assertEquals(cap, server.connectionCount());
        // Those within the cap still work, and a place freed is taken again.
        open.get(0).ws.sendText("{\"type\":\"clear\"}", true).join();
        open.get(0).nextOfType("cleared");
        open.get(1).ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connectionCount() >= cap && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        DemoClient again = DemoClient.connect(port, null);
        again.nextOfType("hello");
        assertEquals(cap, server.connectionCount());
    }

    /**
     * An MP4 of random pixels at 30 frames a second: JPEGs of it are as large as they get, so a page that does not
     * read falls behind at once. A few noise images in turn: cheap to encode, as expensive to send.
     */
    static Path noiseClip(Path file, int w, int h, int frames) {
        Random random = new Random(18);
        byte[][] images = new byte[6][w * h * 3];
        for (byte[] image : images) {
            random.nextBytes(image);
        }
        try (VideoClipWriter writer = VideoClipWriter.start(file, w, h, 30)) {
            for (int i = 0; i < frames; i++) {
                byte[] pixels = images[i % images.length];
                writer.write(ImageFrame.of(w, h, w * 3, PixelFormat.BGR, ByteBuffer.wrap(pixels), i * 33L));
            }
            writer.finish();
        }
        return file;
    }
}
