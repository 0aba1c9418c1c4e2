package io.github.kslr.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.github.kslr.api.HandLandmark;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkConnection;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.PoseLandmark;
import io.github.kslr.examples.pipeline.FrameResult;
import io.github.kslr.examples.pipeline.RecognitionSession;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo server's protocol and its error answers, over a real WebSocket (the JDK's client). The recognition
 * session here only records what reached it: these tests are about what must never reach it. "Teach a sign" runs
 * with the bundled embedder and a vocabulary file in a temporary folder; the session "finds" a right hand in every
 * frame unless told not to.
 */
class DemoServerTest {
    private static final int LIMIT = 4096;

    /** Records the frames that reached the session; finds nothing in them. */
    static final class RecordingSession implements RecognitionSession {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final AtomicInteger clears = new AtomicInteger();
        volatile boolean closed;
        volatile RuntimeException failWith;
        /** Whether the frames show a right hand (moving a little from frame to frame). */
        volatile boolean hands;

        @Override
        public FrameResult process(ImageFrame frame) {
            if (failWith != null) {
                throw failWith;
            }
            frames.add(frame.width() + "x" + frame.height() + "@" + frame.timestampMs());
            HolisticLandmarks lm = HolisticLandmarks.empty(frame.timestampMs(), frame.width(), frame.height());
            if (hands) {
                float[] hand = new float[LandmarkPart.RIGHT_HAND.valueCount()];
                for (int i = 0; i < hand.length; i++) {
                    hand[i] = 0.4f + 0.01f * (i % 3) + 0.02f * (frames.size() % 5);
                }
                lm = new HolisticLandmarks(
                        lm.timestampMs(),
                        lm.imageWidth(),
                        lm.imageHeight(),
                        lm.pose(),
                        lm.poseWorld(),
                        lm.face(),
                        lm.leftHand(),
                        LandmarkSet.of(LandmarkPart.RIGHT_HAND, hand));
            }
            return new FrameResult(lm, null, List.of(), "", 0, 0);
        }

        @Override
        public FrameResult process(HolisticLandmarks landmarks) {
            frames.add("landmarks@" + landmarks.timestampMs());
            return new FrameResult(landmarks, null, List.of(), "", 0, 0);
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
    private DemoServer teachingServer;
    private OnnxSignEmbedder embedder;
    private VocabularyTeacher teacher;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        server = DemoServer.builder()
                .port(0)
                .maxFrameBytes(LIMIT)
                .sessions(() -> {
                    RecordingSession s = new RecordingSession();
                    sessions.add(s);
                    return s;
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        if (teachingServer != null) {
            teachingServer.close();
        }
        if (embedder != null) {
            embedder.close();
        }
    }

    /** A second server that teaches into {@code dir/signs.vocab} (created empty), its sessions finding hands. */
    private DemoServer teachingServer() {
        embedder = OnnxSignEmbedder.open(DemoSignModel.embedderSource());
        teacher = VocabularyTeacher.open(
                dir.resolve("signs.vocab"), SignVocabulary.create(embedder.metadata()), embedder);
        teachingServer = DemoServer.builder()
                .port(0)
                .maxFrameBytes(LIMIT)
                .teacher(teacher)
                .sessions(() -> {
                    RecordingSession s = new RecordingSession();
                    s.hands = true;
                    sessions.add(s);
                    return s;
                })
                .build()
                .start();
        return teachingServer;
    }

    private static final String HELLO = "\u179f\u17bd\u179f\u17d2\u178f\u17b8";
    private static final String THANKS = "\u17a2\u179a\u1782\u17bb\u178e";

    /** Connects to the teaching server: hello, then the vocabulary. */
    private DemoClient connectTeaching() throws InterruptedException {
        DemoClient c = DemoClient.connect(teachingServer.port(), null);
        JsonObject hello = c.nextOfType("hello");
        assertTrue(hello.get("teach").getAsBoolean(), hello.toString());
        assertEquals(5, hello.get("defaultTakes").getAsInt());
        assertEquals(SignVocabulary.MIN_TAKES, hello.get("minTakes").getAsInt());
        assertEquals(VocabularyTeacher.MAX_TAKES, hello.get("maxTakes").getAsInt());
        assertEquals("signs.vocab", hello.get("vocabularyFile").getAsString());
        c.nextOfType("vocabulary");
        return c;
    }

    private static void send(DemoClient c, String json) {
        c.ws.sendText(json, true).join();
    }

    private static String teachStart(String khmer, String gloss, int takes) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "teach-start");
        o.addProperty("khmer", khmer);
        o.addProperty("gloss", gloss);
        o.addProperty("takes", takes);
        return o.toString();
    }

    /** Records one take of {@code frames} frames; returns the server's answer to take-end. */
    private JsonObject take(DemoClient c, int frames) throws Exception {
        send(c, "{\"type\":\"take-start\"}");
        c.nextOfType("take-recording");
        byte[] frame = jpeg(32, 24);
        for (int i = 0; i < frames; i++) {
            c.ws.sendBinary(ByteBuffer.wrap(frame), true).join();
            c.nextOfType("result");
        }
        send(c, "{\"type\":\"take-end\"}");
        return c.next();
    }

    /** Teaches HELLO from 2 takes of {@code frames} frames each, up to the vocabulary that follows. */
    private void teachHello(DemoClient c, String gloss, int frames) throws Exception {
        send(c, teachStart(HELLO, gloss, 2));
        c.nextOfType("teach-ready");
        take(c, frames);
        take(c, frames);
        c.nextOfType("taught");
        c.nextOfType("vocabulary");
    }

    private static List<String> labels(JsonObject vocabulary) {
        List<String> out = new ArrayList<>();
        vocabulary
                .getAsJsonArray("signs")
                .forEach(e -> out.add(e.getAsJsonObject().get("label").getAsString()));
        return out;
    }

    @Test
    void withoutAVocabularyTeachingIsRefusedWithHowToStartOne() throws Exception {
        DemoClient c = DemoClient.connect(server.port(), null);
        JsonObject hello = c.nextOfType("hello");
        assertEquals(false, hello.get("teach").getAsBoolean());
        assertTrue(hello.get("teachHelp").getAsString().contains("serve --vocabulary"), hello.toString());
        // The page draws the skeleton kslr-api names (one list for the page, --annotate and .pose files).
        JsonObject connections = hello.getAsJsonObject("connections");
        assertEquals(
                PoseLandmark.CONNECTIONS.size(),
                connections.getAsJsonArray("pose").size());
        assertEquals(
                HandLandmark.CONNECTIONS.size(),
                connections.getAsJsonArray("hand").size());
        LandmarkConnection last = HandLandmark.CONNECTIONS.get(HandLandmark.CONNECTIONS.size() - 1);
        assertEquals(
                "[" + last.start() + "," + last.end() + "]",
                connections
                        .getAsJsonArray("hand")
                        .get(HandLandmark.CONNECTIONS.size() - 1)
                        .toString());
        for (String msg : new String[] {
            teachStart(HELLO, "", 2), "{\"type\":\"signs\"}", "{\"type\":\"delete-sign\",\"label\":\"x\"}"
        }) {
            send(c, msg);
            JsonObject err = c.nextOfType("error");
            assertEquals("teach-unavailable", err.get("code").getAsString(), msg);
            assertTrue(err.get("message").getAsString().contains("--vocabulary signs.vocab"), err.toString());
        }
    }

    @Test
    void aSignIsTaughtSavedListedToEveryPageAndDeleted() throws Exception {
        teachingServer();
        DemoClient c = connectTeaching();
        DemoClient other = connectTeaching();
        send(c, teachStart("  " + HELLO + " ", " hello ", 2));
        JsonObject ready = c.nextOfType("teach-ready");
        assertEquals(HELLO, ready.get("khmer").getAsString());
        assertEquals("hello", ready.get("gloss").getAsString());
        assertEquals(teacher.windowLength(), ready.get("windowFrames").getAsInt());
        JsonObject first = take(c, 4);
        assertEquals("take", first.get("type").getAsString(), first.toString());
        assertEquals(1, first.get("take").getAsInt());
        assertEquals(4, first.get("frames").getAsInt());
        assertEquals(4, first.get("handFrames").getAsInt());
        assertTrue(first.get("padded").getAsBoolean(), "4 frames are shorter than a window");
        assertTrue(Files.exists(dir.resolve("signs.vocab")));
        assertEquals(List.of(), teacher.signs(), "nothing is taught before the last take");
        assertEquals(2, take(c, 3).get("take").getAsInt());
        JsonObject taught = c.nextOfType("taught");
        assertEquals(HELLO, taught.get("label").getAsString());
        assertEquals(2, taught.get("takes").getAsInt());
        assertEquals(List.of(HELLO), labels(c.nextOfType("vocabulary")));
        assertEquals(List.of(HELLO), labels(other.nextOfType("vocabulary")), "every page hears of it");
        SignVocabulary saved = SignVocabulary.load(dir.resolve("signs.vocab"), embedder.metadata());
        assertEquals(1, saved.signs().size());
        assertEquals("hello", saved.signs().get(0).gloss());
        assertEquals(2, saved.signs().get(0).takeCount());

        send(other, "{\"type\":\"signs\"}");
        assertEquals(List.of(HELLO), labels(other.nextOfType("vocabulary")));
        send(other, "{\"type\":\"delete-sign\",\"label\":\"" + HELLO + "\"}");
        assertEquals(HELLO, other.nextOfType("deleted").get("label").getAsString());
        assertEquals(List.of(), labels(other.nextOfType("vocabulary")));
        assertEquals(List.of(), labels(c.nextOfType("vocabulary")));
        assertEquals(
                List.of(),
                SignVocabulary.load(dir.resolve("signs.vocab"), embedder.metadata())
                        .signs());
    }

    @Test
    void badTeachRequestsAreRefusedBeforeAnythingChanges() throws Exception {
        teachingServer();
        DemoClient c = connectTeaching();
        byte[] before = Files.readAllBytes(dir.resolve("signs.vocab"));
        String longWord = HELLO.repeat(9); // 54 characters
        String[][] cases = {
            {"{\"type\":\"teach-start\",\"gloss\":\"x\",\"takes\":3}", "missing"},
            {teachStart("   ", "", 3), "empty"},
            {teachStart("hello", "", 3), "character 1 is 'h' (U+0068 LATIN SMALL LETTER H)"},
            {teachStart(HELLO + "\n", "", 3), null}, // a trailing line break is trimmed: valid, see below
            {teachStart(HELLO + "\t" + THANKS, "", 3), "U+0009"},
            {teachStart(HELLO + "x", "", 3), "character 7 is 'x'"},
            {teachStart("\u17e1\u17e2", "", 3), "has no Khmer letter"},
            {teachStart(longWord, "", 3), "54 characters long; at most " + VocabularyTeacher.MAX_KHMER_CHARS},
            {teachStart(HELLO, "two\nlines", 3), "the gloss must be one line"},
            {teachStart(HELLO, "x".repeat(65), 3), "at most " + VocabularyTeacher.MAX_GLOSS_CHARS},
            {teachStart(HELLO, "", 1), "from 2 to 20 takes, got 1"},
            {teachStart(HELLO, "", 21), "from 2 to 20 takes, got 21"},
            {"{\"type\":\"teach-start\",\"khmer\":\"" + HELLO + "\",\"takes\":2.5}", "whole number, was 2.5"},
            {"{\"type\":\"teach-start\",\"khmer\":\"" + HELLO + "\",\"takes\":\"five\"}", "whole number"},
            {"{\"type\":\"teach-start\",\"khmer\":12}", "\"khmer\" must be a string"},
            {"{\"type\":\"teach-start\",\"khmer\":\"" + HELLO + "\",\"gloss\":[1]}", "\"gloss\" must be a string"},
        };
        for (String[] t : cases) {
            if (t[1] == null) {
                continue;
            }
            send(c, t[0]);
            JsonObject err = c.nextOfType("error");
            assertEquals("bad-teach", err.get("code").getAsString(), t[0]);
            assertTrue(err.get("message").getAsString().contains(t[1]), t[0] + " -> " + err);
            // Nothing started: a take cannot begin.
            send(c, "{\"type\":\"take-start\"}");
            assertEquals("not-teaching", c.nextOfType("error").get("code").getAsString());
        }
        assertTrue(Arrays.equals(before, Files.readAllBytes(dir.resolve("signs.vocab"))), "the file is unchanged");
        assertEquals(List.of(), teacher.signs());
        // A word with surrounding white space (a line break included) is trimmed, not refused.
        send(c, teachStart(HELLO + "\n", "", 2));
        assertEquals(HELLO, c.nextOfType("teach-ready").get("khmer").getAsString());
    }

    @Test
    void takesOutOfOrderAndASecondTeachingAreRefused() throws Exception {
        teachingServer();
        DemoClient c = connectTeaching();
        send(c, "{\"type\":\"take-end\"}");
        assertEquals("not-teaching", c.nextOfType("error").get("code").getAsString());
        send(c, teachStart(HELLO, "", 2));
        c.nextOfType("teach-ready");
        send(c, teachStart(THANKS, "", 2));
        JsonObject busy = c.nextOfType("error");
        assertEquals("teach-busy", busy.get("code").getAsString());
        assertTrue(busy.get("message").getAsString().contains(HELLO), busy.toString());
        send(c, "{\"type\":\"take-start\"}");
        c.nextOfType("take-recording");
        send(c, "{\"type\":\"take-start\"}");
        assertEquals("not-teaching", c.nextOfType("error").get("code").getAsString());
        send(c, "{\"type\":\"teach-cancel\"}");
        c.nextOfType("teach-cancelled");
        send(c, "{\"type\":\"take-end\"}");
        assertEquals("not-teaching", c.nextOfType("error").get("code").getAsString());
        assertEquals(List.of(), teacher.signs(), "a cancelled teaching teaches nothing");
        // After a cancel the page can teach again.
        send(c, teachStart(THANKS, "", 2));
        c.nextOfType("teach-ready");
    }

    @Test
    void aTakeWithoutHandsIsNotKeptAndIsRecordedAgain() throws Exception {
        teachingServer();
        DemoClient c = connectTeaching();
        send(c, teachStart(HELLO, "", 2));
        c.nextOfType("teach-ready");
        sessions.get(0).hands = false;
        JsonObject bad = take(c, 3);
        assertEquals("error", bad.get("type").getAsString(), bad.toString());
        assertEquals("bad-take", bad.get("code").getAsString());
        assertTrue(
                bad.get("message").getAsString().contains("take 1 of 2 was not kept")
                        && bad.get("message").getAsString().contains("hand"),
                bad.toString());
        JsonObject empty = take(c, 0);
        assertEquals("bad-take", empty.get("code").getAsString(), "a take without frames");
        sessions.get(0).hands = true;
        assertEquals(1, take(c, 3).get("take").getAsInt());
        assertEquals(2, take(c, 3).get("take").getAsInt());
        assertEquals(HELLO, c.nextOfType("taught").get("label").getAsString());
    }

    /** More takes of a taught sign (another person's): added to it, saved and told to every page. */
    @Test
    void moreTakesAreAddedToATaughtSign() throws Exception {
        teachingServer();
        DemoClient c = connectTeaching();
        DemoClient other = connectTeaching();
        teachHello(c, "hello", 3);
        other.nextOfType("vocabulary");
        for (String bad : new String[] {
            "{\"type\":\"teach-start\",\"khmer\":\"" + THANKS + "\",\"takes\":2,\"more\":true}",
            "{\"type\":\"teach-start\",\"khmer\":\"" + HELLO + "\",\"takes\":2,\"more\":\"yes\"}"
        }) {
            send(c, bad);
            JsonObject err = c.nextOfType("error");
            assertEquals("bad-teach", err.get("code").getAsString(), bad);
        }
        send(c, "{\"type\":\"teach-start\",\"khmer\":\"" + HELLO + "\",\"takes\":3,\"more\":true}");
        JsonObject ready = c.nextOfType("teach-ready");
        assertTrue(ready.get("more").getAsBoolean(), ready.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals("take", take(c, 2).get("type").getAsString());
        }
        JsonObject taught = c.nextOfType("taught");
        assertEquals(HELLO, taught.get("label").getAsString());
        assertEquals(5, taught.get("takes").getAsInt(), taught.toString());
        assertEquals(3, taught.get("added").getAsInt(), taught.toString());
        assertEquals("hello", taught.get("gloss").getAsString(), "the gloss stays");
        assertEquals(List.of(HELLO), labels(other.nextOfType("vocabulary")), "every page hears of it");
        SignVocabulary saved = SignVocabulary.load(dir.resolve("signs.vocab"), embedder.metadata());
        assertEquals(5, saved.signs().get(0).takeCount());
    }

    @Test
    void aTaughtWordCannotBeTaughtAgainAndUnknownSignsCannotBeDeleted() throws Exception {
        teachingServer();
        DemoClient c = connectTeaching();
        teachHello(c, "", 2);
        send(c, teachStart(HELLO, "again", 2));
        JsonObject again = c.nextOfType("error");
        assertEquals("bad-teach", again.get("code").getAsString());
        assertTrue(again.get("message").getAsString().contains("taught already; delete it first"), again.toString());
        for (String msg : new String[] {
            "{\"type\":\"delete-sign\",\"label\":\"" + THANKS + "\"}",
            "{\"type\":\"delete-sign\"}",
            "{\"type\":\"delete-sign\",\"label\":{}}"
        }) {
            send(c, msg);
            JsonObject err = c.nextOfType("error");
            assertEquals("unknown-sign", err.get("code").getAsString(), msg);
        }
        send(c, "{\"type\":\"delete-sign\",\"label\":\"" + THANKS + "\"}");
        String unknown = c.nextOfType("error").get("message").getAsString();
        assertTrue(unknown.contains("no sign '" + THANKS + "'") && unknown.contains(HELLO), unknown);
        assertEquals(1, teacher.signs().size());
    }

    @Test
    void twoPagesTeachingOneWordAtOnceGetOneSignAndOneClearError() throws Exception {
        teachingServer();
        DemoClient a = connectTeaching();
        DemoClient b = connectTeaching();
        for (DemoClient c : List.of(a, b)) {
            send(c, teachStart(HELLO, "", 2));
            c.nextOfType("teach-ready");
            take(c, 2);
        }
        // Both last takes at once: the teacher serialises them.
        byte[] frame = jpeg(32, 24);
        for (DemoClient c : List.of(a, b)) {
            send(c, "{\"type\":\"take-start\"}");
            c.nextOfType("take-recording");
            c.ws.sendBinary(ByteBuffer.wrap(frame), true).join();
            c.nextOfType("result");
        }
        a.ws.sendText("{\"type\":\"take-end\"}", true);
        b.ws.sendText("{\"type\":\"take-end\"}", true);
        int taught = 0;
        int refused = 0;
        for (DemoClient c : List.of(a, b)) {
            c.nextOfType("take");
            JsonObject m = c.next();
            // The other page's success may reach this one (as a new vocabulary) before its own answer.
            while ("vocabulary".equals(m.get("type").getAsString())) {
                m = c.next();
            }
            if ("taught".equals(m.get("type").getAsString())) {
                taught++;
            } else {
                assertEquals("teach-failed", m.get("code").getAsString(), m.toString());
                assertTrue(m.get("message").getAsString().contains("taught already"), m.toString());
                refused++;
            }
        }
        assertEquals(1, taught);
        assertEquals(1, refused);
        assertEquals(
                1,
                SignVocabulary.load(dir.resolve("signs.vocab"), embedder.metadata())
                        .signs()
                        .size());
    }

    private DemoClient connect() throws InterruptedException {
        DemoClient c = DemoClient.connect(server.port(), null);
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
        DemoClient c = connect();
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
        DemoClient c = connect();
        for (String bad : new String[] {
            "{\"type\":\"dance\"}", "not json at all", "[1,2,3]", "{\"kind\":\"clear\"}", "{\"type\":{\"nested\":1}}"
        }) {
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
        DemoClient c = connect();
        c.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}), true).join();
        assertEquals("bad-frame", c.nextOfType("error").get("code").getAsString());
        byte[] truncated = java.util.Arrays.copyOf(jpeg(64, 48), 40);
        c.ws.sendBinary(ByteBuffer.wrap(truncated), true).join();
        assertEquals("bad-frame", c.nextOfType("error").get("code").getAsString());
        assertTrue(sessions.get(0).frames.isEmpty());
    }

    @Test
    void framesGetIncreasingTimestamps() throws Exception {
        DemoClient c = connect();
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
        DemoClient c = connect();
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
        DemoClient c = connect();
        c.ws.sendText("{\"type\":\"speak\"}", true).join();
        assertEquals("speech-unavailable", c.nextOfType("error").get("code").getAsString());
        c.ws.sendText("{\"type\":\"video\"}", true).join();
        assertEquals("no-video", c.nextOfType("error").get("code").getAsString());
    }

    @Test
    void eachConnectionHasItsOwnSessionClosedWithIt() throws Exception {
        DemoClient a = connect();
        DemoClient b = connect();
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
        CompletionException e =
                assertThrows(CompletionException.class, () -> DemoClient.connect(server.port(), "http://evil.example"));
        assertNotNull(e.getCause());
        DemoClient ok = DemoClient.connect(server.port(), "http://127.0.0.1:" + server.port());
        ok.nextOfType("hello");
    }

    @Test
    void servesThePageOnLocalhost() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        for (String id :
                new String[] {"camera-toggle", "landmarks-toggle", "overlay", "transcript", "clear", "speak"}) {
            assertTrue(page.body().contains("id=\"" + id + "\""), id);
        }
        HttpResponse<String> js = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/app.js"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, js.statusCode());
    }

    @Test
    void builderRejectsBadOptions() {
        assertThrows(InvalidInputException.class, () -> DemoServer.builder().build());
        assertThrows(
                InvalidInputException.class,
                () -> DemoServer.builder()
                        .sessions(RecordingSession::new)
                        .port(70000)
                        .build());
        assertThrows(
                InvalidInputException.class,
                () -> DemoServer.builder()
                        .sessions(RecordingSession::new)
                        .maxFrameBytes(0)
                        .build());
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> DemoServer.builder()
                        .sessions(RecordingSession::new)
                        .video(Path.of("no-such-video.mp4"))
                        .build());
        assertTrue(e.getMessage().contains("no-such-video.mp4"), e.getMessage());
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        java.net.InetAddress external = null;
        for (java.net.NetworkInterface nic :
                java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    external = a;
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(
                external != null, "this machine has no non-loopback IPv4 address to try");
        try (java.net.Socket s = new java.net.Socket()) {
            java.net.InetAddress target = external;
            assertThrows(
                    java.net.ConnectException.class,
                    () -> s.connect(new java.net.InetSocketAddress(target, server.port()), 2000));
        }
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 2000);
            assertTrue(s.isConnected());
        }
    }

    @Test
    void allowedHostsAreTheLoopbackNamesTheBoundAddressAndTheAllowedOnesOnThePort() {
        AllowedHosts h = AllowedHosts.of("127.0.0.1", List.of("kiosk.lan"));
        for (String ok : new String[] {
            "127.0.0.1:8080",
            "localhost:8080",
            "LocalHost:8080",
            "[::1]:8080",
            "[0:0:0:0:0:0:0:1]:8080",
            "kiosk.lan:8080"
        }) {
            assertTrue(h.allowsHost(ok, 8080), ok);
        }
        for (String bad : new String[] {
            "evil.example:8080",
            "127.0.0.1:8081",
            "127.0.0.1",
            "localhost:",
            ":8080",
            "localhost:8080:1",
            "user@localhost:8080",
            "[::2]:8080",
            "",
            "localhost :8080"
        }) {
            assertTrue(!h.allowsHost(bad, 8080), bad);
        }
        assertTrue(!h.allowsHost(null, 8080));
        assertTrue(h.allowsHost("localhost", 80), "a Host without a port means 80");
        assertTrue(h.allowsOrigin("http://127.0.0.1:8080", 8080));
        assertTrue(h.allowsOrigin("http://localhost:8080", 8080));
        assertTrue(h.allowsOrigin("http://[::1]:8080", 8080));
        assertTrue(h.allowsOrigin("https://localhost", 443));
        for (String bad : new String[] {
            "http://evil.example:8080",
            "null",
            "http://localhost:8081",
            "file://localhost:8080",
            "http://u@localhost:8080",
            "http://localhost",
            "not a uri"
        }) {
            assertTrue(!h.allowsOrigin(bad, 8080), bad);
        }
        // Bound to one address of this machine, the server answers to it too.
        assertTrue(AllowedHosts.of("192.168.1.20", List.of()).allowsHost("192.168.1.20:8080", 8080));
        assertTrue(!AllowedHosts.of("127.0.0.1", List.of()).allowsHost("192.168.1.20:8080", 8080));
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> AllowedHosts.of("127.0.0.1", List.of("http://kiosk.lan:8080")));
        assertTrue(e.getMessage().contains("http://kiosk.lan:8080"), e.getMessage());
    }

    @Test
    void aVideoThatFailsToPlayIsReportedWithoutTheServersFolders() throws Exception {
        Path clip = DemoServerAbuseTest.noiseClip(dir.resolve("clip.mp4"), 32, 24, 3);
        try (DemoServer s = DemoServer.builder()
                .port(0)
                .video(clip)
                .sessions(RecordingSession::new)
                .build()
                .start()) {
            Files.delete(clip); // gone after the start: playing it fails
            DemoClient c = DemoClient.connect(s.port(), null);
            assertEquals("clip.mp4", c.nextOfType("hello").get("videoName").getAsString());
            send(c, "{\"type\":\"video\"}");
            JsonObject err = c.nextOfType("error");
            assertEquals("video-failed", err.get("code").getAsString());
            String message = err.get("message").getAsString();
            assertTrue(message.contains("clip.mp4"), message);
            assertTrue(
                    !message.contains(dir.toString())
                            && !message.contains(dir.getFileName().toString()),
                    "the page was told the server's folders: " + message);
        }
    }

    @Test
    void errorMessagesForThePageKeepFileNamesOnly() {
        DemoConnection c = new DemoConnection(
                null,
                RecordingSession::new,
                null,
                Path.of("/srv/media/my clip.mp4"),
                null,
                LIMIT,
                100,
                null,
                () -> {},
                4);
        assertEquals(
                "cannot play my clip.mp4: input file my clip.mp4 does not exist",
                c.withoutPaths("cannot play my clip.mp4: input file /srv/media/my clip.mp4 does not exist"));
        assertEquals(
                "cannot write signs.vocab.tmp (No space left), nor x.bin",
                c.withoutPaths("cannot write /home/me/.kslr/signs.vocab.tmp (No space left), nor C:\\data\\x.bin"));
        assertEquals("frame 3/4 at 25 frames/s", c.withoutPaths("frame 3/4 at 25 frames/s"));
    }

    @Test
    void aVideoThatCannotBeDecodedIsRefusedAtBuild() throws Exception {
        Path corrupt = dir.resolve("corrupt.mp4");
        byte[] junk = new byte[200_000];
        new java.util.Random(10).nextBytes(junk);
        Files.write(corrupt, junk);
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> DemoServer.builder()
                        .sessions(RecordingSession::new)
                        .video(corrupt)
                        .build());
        assertTrue(
                e.getMessage().contains(corrupt.toAbsolutePath().toString())
                        && e.getMessage().contains("cannot be played"),
                e.getMessage());
    }

    @Test
    void anAddressOfAnotherMachineIsRefusedForWhatItIs() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> DemoServer.builder()
                        .sessions(RecordingSession::new)
                        .host("10.255.255.1")
                        .port(0)
                        .build());
        assertTrue(e.getMessage().contains("10.255.255.1 is not an address of this machine"), e.getMessage());
        assertTrue(!e.getMessage().contains("in use"), e.getMessage());
        assertThrows(
                InvalidInputException.class,
                () -> DemoServer.builder()
                        .sessions(RecordingSession::new)
                        .maxConnections(0)
                        .build());
    }

    @Test
    void aPortInUseIsSaidToBeInUse() throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            DemoServer s = DemoServer.builder()
                    .sessions(RecordingSession::new)
                    .port(taken.getLocalPort())
                    .build();
            io.github.kslr.api.KslrException e = assertThrows(io.github.kslr.api.KslrException.class, s::start);
            assertTrue(
                    e.getMessage().contains("127.0.0.1:" + taken.getLocalPort())
                            && e.getMessage().contains("already in use"),
                    e.getMessage());
            s.close();
        }
    }
}
