package io.github.kslr.examples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HandLossPolicy;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.examples.TestModels;
import io.github.kslr.examples.cli.ServeRun;
import io.github.kslr.examples.pipeline.RecognitionSettings;
import io.github.kslr.examples.pipeline.SdkModels;
import io.github.kslr.onnx.writer.SignModelBuilder;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live demo in a real browser: Debian's Chromium, headless, driven by {@code tools/web-demo-test} (npm
 * playwright-core), with a fake camera playing {@code ../shared/media/signing/test_video.mp4} (converted to .y4m at
 * test time with ffmpeg). The server runs in-process with the real SDK (bundled landmark models, a sign model made at
 * test time that fills the transcript, the shared tiny test voice). The screenshot is left in
 * {@code examples/target/web-demo/screenshot.png} (fake camera) and {@code screenshot-video.png} (the server's video).
 * "Teach a sign" runs against {@code kslr serve --vocabulary V} itself, across a restart of it
 * ({@code teach.png}, {@code teach-recording.png}).
 *
 * <p>Skips with a message when Chromium, ffmpeg, node or the npm packages are missing (run
 * {@code tools/install-test-deps.sh}); fails instead under {@code -Dkslr.requireShared=true} (CI).
 */
class WebDemoBrowserTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path NODE_PROJECT = ROOT.resolve("tools/web-demo-test");
    static final Path OUT = Path.of("target", "web-demo").toAbsolutePath();

    private static SdkModels models;

    /**
     * The bundled models (landmarks, demo sign model), loaded by the first test that gets this far (a skip inside a
     * test shows in the report, one in @BeforeAll does not).
     */
    static synchronized SdkModels models() {
        if (models == null) {
            models = SdkModels.load(TestModels.landmarkModels(), TestModels.signModel(), null, ExecutionDevice.cpu());
        }
        return models;
    }

    @AfterAll
    static void closeModels() {
        if (models != null) {
            models.close();
        }
    }

    static void requireTool(boolean present, String what) {
        TestModels.require(present, what);
    }

    static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, exe);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    static String run(List<String> cmd, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(OUT, "proc", ".log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " ran for more than " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (p.exitValue() != 0 && !cmd.get(0).endsWith("node")) {
            fail(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    static Path y4m() throws IOException, InterruptedException {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path ffmpeg = onPath("ffmpeg");
        requireTool(ffmpeg != null, "ffmpeg on the PATH (run tools/install-test-deps.sh)");
        Files.createDirectories(OUT);
        Path y4m = OUT.resolve("test_video.y4m");
        run(
                List.of(
                        ffmpeg.toString(),
                        "-v",
                        "error",
                        "-y",
                        "-i",
                        video.toString(),
                        "-pix_fmt",
                        "yuv420p",
                        "-f",
                        "yuv4mpegpipe",
                        y4m.toString()),
                OUT,
                120);
        assertTrue(Files.size(y4m) > 0);
        return y4m;
    }

    /**
     * A sign model made at test time that recognises a sign in every window (random weights, two labels with Khmer
     * text, no "no sign" class, 5-frame windows): with threshold 0, agreement 1 and hands not required, the transcript
     * fills within a few frames of any video, so the page's transcript, Clear and Speak paths run for real. It says
     * nothing about recognition quality (the recognize tests run the bundled demo model).
     */
    static Path everyWindowModel(Path dir) throws IOException {
        Path file = dir.resolve("every-window-signs.onnx");
        SignModelMetadata meta = SignModelMetadata.of(List.of("hello", "thank-you"), FeatureLayout.REPORTS_177, 5)
                .withTranslations(
                        Map.of("hello", "hello", "thank-you", "thank you"),
                        Map.of(
                                "hello",
                                "\u179f\u17bd\u179f\u17d2\u178f\u17b8",
                                "thank-you",
                                "\u17a2\u179a\u1782\u17bb\u178e"));
        SignModelBuilder.builder(meta)
                .lstmUnits(8)
                .denseUnits()
                .randomWeights(7)
                .write(file);
        return file;
    }

    /** Debian's Chromium, after checking node and the npm project are there too (skip or fail as TestModels says). */
    static Path chromium() {
        Path chromium = Path.of(System.getProperty("kslr.chromium", "/usr/bin/chromium"));
        requireTool(
                Files.isExecutable(chromium), chromium + " (Debian package chromium; run tools/install-test-deps.sh)");
        requireTool(onPath("node") != null, "node on the PATH (run tools/install-test-deps.sh)");
        requireTool(
                Files.isDirectory(NODE_PROJECT.resolve("node_modules/playwright-core")),
                NODE_PROJECT.resolve("node_modules/playwright-core")
                        + " (run tools/install-test-deps.sh: npm ci in tools/web-demo-test)");
        return chromium;
    }

    /**
     * Runs one of tools/web-demo-test's scripts and fails with every failed check; checks that each of
     * {@code expected} ran.
     *
     * @return the summary it printed
     */
    static JsonObject browserChecks(List<String> args, String... expected) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(onPath("node").toString());
        cmd.addAll(args);
        String out = run(cmd, NODE_PROJECT, 420);
        String last =
                out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (last == null) {
            fail("the browser test printed no summary:\n" + out);
        }
        JsonObject result = JsonParser.parseString(last).getAsJsonObject();
        List<String> failed = new ArrayList<>();
        JsonArray checks = result.getAsJsonArray("checks");
        for (JsonElement c : checks) {
            JsonObject o = c.getAsJsonObject();
            if (!o.get("ok").getAsBoolean()) {
                failed.add(o.get("name").getAsString() + ": " + o.get("detail"));
            }
        }
        assertTrue(failed.isEmpty(), "browser checks failed: " + failed + "\n" + out);
        for (String name : expected) {
            assertTrue(checks.toString().contains("\"" + name + "\""), "check did not run: " + name);
        }
        return result.getAsJsonObject("summary");
    }

    @Test
    void liveDemoInHeadlessChromium() throws Exception {
        Path chromium = chromium();
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path voice = SharedFiles.require("fixtures/tts/tiny-khm-voice.onnx");
        Path y4m = y4m();
        Path screenshot = OUT.resolve("screenshot.png");
        Files.deleteIfExists(screenshot);

        try (SdkModels models = SdkModels.load(
                        TestModels.landmarkModels(),
                        everyWindowModel(OUT),
                        voice,
                        ExecutionDevice.cpu(),
                        new RecognitionSettings(0f, 1, HandLossPolicy.KEEP, null));
                DemoServer server = DemoServer.builder()
                        .port(0)
                        .sessions(models::newSession)
                        .speech(models.voice())
                        .model(models.signModel())
                        .video(video)
                        .build()
                        .start()) {
            JsonObject summary = browserChecks(
                    List.of(
                            "demo-test.mjs",
                            "--url",
                            "http://127.0.0.1:" + server.port() + "/",
                            "--y4m",
                            y4m.toString(),
                            "--screenshot",
                            screenshot.toString(),
                            "--chromium",
                            chromium.toString(),
                            "--min-landmark-frames",
                            "10",
                            "--expect-speech"),
                    "landmarks arrive",
                    "overlay draws the landmarks",
                    "landmark toggle clears the overlay",
                    "Speak is disabled before any transcript",
                    "the transcript shows the recognised signs",
                    "Speak is enabled with a transcript and a voice",
                    "Clear empties the transcript",
                    "Speak is disabled after Clear (no transcript)",
                    "Speak plays the transcript as a clip",
                    "camera toggle turns the camera off",
                    "while the server video plays the camera-off label is hidden and the toggle reads on",
                    "server video plays in the camera pane with the overlay",
                    "Teach a sign says how to start a server with a vocabulary",
                    "no server errors",
                    "no page errors");
            assertTrue(Files.size(screenshot) > 10_000, "screenshot " + screenshot);
            System.out.println("web demo browser test: " + summary + "; screenshots in " + OUT);
        }
    }

    /** teach-test.mjs's arguments for {@code phase} against the server on {@code port}, then {@code more}. */
    private static List<String> teachPhase(
            String phase, int port, Path y4m, Path chromium, String word, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "teach-test.mjs",
                "--phase",
                phase,
                "--url",
                "http://127.0.0.1:" + port + "/",
                "--y4m",
                y4m.toString(),
                "--chromium",
                chromium.toString(),
                "--word",
                word));
        args.addAll(List.of(more));
        return args;
    }

    /**
     * "Teach a sign" end to end, against {@code kslr serve --vocabulary V} itself: from an empty vocabulary (the file
     * is created at start), the page teaches a Khmer word from 3 takes of the fake camera (a 1 s countdown and 1.5 s
     * takes, the page's own controls), the same looping clip is then recognised as it, in the window prediction and
     * in the transcript; after a restart on the same file the sign is still listed and recognised, Add takes records
     * 3 more takes of it; Delete removes it from the page, from recognition and from the file.
     *
     * <p>The clip shows hands in about half of its frames, and the server processes 5 to 10 of its 30 frames a
     * second here, so no 20-frame window of consecutive frames shows hands throughout: the server runs with
     * {@code --hand-loss KEEP} (a frame without hands stays in the window, as in the takes) and
     * {@code --agreement 3} so the transcript fills within the clip's loop.
     */
    @Test
    void teachASignInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path chromium = chromium();
        Path y4m = y4m();
        Path vocabulary = dir.resolve("signs.vocab");
        String word = "\u179f\u17bd\u179f\u17d2\u178f\u17b8"; // suostei, hello
        String gloss = "hello";
        int takes = 3;
        List<String> serve = new ArrayList<>(List.of(
                "--port", "0", "--vocabulary", vocabulary.toString(), "--agreement", "3", "--hand-loss", "KEEP"));
        if (TestModels.landmarkModels() != null) {
            serve.addAll(
                    List.of("--landmark-models", TestModels.landmarkModels().toString()));
        }
        Path screenshot = OUT.resolve("teach.png");
        Files.deleteIfExists(screenshot);
        JsonObject taught;
        long t0 = System.nanoTime();
        try (ServeRun s = ServeRun.start(serve.toArray(String[]::new))) {
            assertTrue(Files.isRegularFile(vocabulary), "kslr serve --vocabulary creates the missing file");
            assertTrue(s.output().contains(": 0 signs"), s.output());
            taught = browserChecks(
                    teachPhase(
                            "teach",
                            s.port(),
                            y4m,
                            chromium,
                            word,
                            "--gloss",
                            gloss,
                            "--takes",
                            Integer.toString(takes),
                            "--seconds",
                            "1.5",
                            "--countdown",
                            "1",
                            "--screenshot",
                            screenshot.toString()),
                    "Teach a sign is available with a vocabulary",
                    "the vocabulary starts empty",
                    "the sign is taught from the fake camera",
                    "a countdown is shown before every take",
                    "the recording state is shown for every take",
                    "the countdown and the recording state are gone after the last take",
                    "the taught sign is listed with its gloss and takes",
                    "the same clip is recognised as the taught sign",
                    "the transcript shows the taught sign",
                    "teaching a taught word again is refused with a clear message",
                    "no server errors",
                    "no page errors");
        }
        try (OnnxSignEmbedder embedder = OnnxSignEmbedder.open(DemoSignModel.embedderSource())) {
            List<SignVocabulary.Sign> signs =
                    SignVocabulary.load(vocabulary, embedder.metadata()).signs();
            assertEquals(1, signs.size(), "signs saved");
            assertEquals(word, signs.get(0).label());
            assertEquals(word, signs.get(0).khmer());
            assertEquals(gloss, signs.get(0).gloss());
            assertEquals(takes, signs.get(0).takeCount());

            JsonObject restarted;
            long t1 = System.nanoTime();
            try (ServeRun s = ServeRun.start(serve.toArray(String[]::new))) {
                assertTrue(s.output().contains(": 1 signs"), s.output());
                restarted = browserChecks(
                        teachPhase("restart", s.port(), y4m, chromium, word),
                        "Teach a sign is available with a vocabulary",
                        "the taught sign is still listed after the restart",
                        "the clip is recognised as the taught sign after the restart",
                        "Add takes records more takes of the taught sign",
                        "Delete removes the sign from the list",
                        "a deleted sign is no longer recognised",
                        "no server errors",
                        "no page errors");
            }
            assertEquals(
                    List.of(),
                    SignVocabulary.load(vocabulary, embedder.metadata()).signs(),
                    "the deletion is saved");
            assertTrue(Files.size(screenshot) > 10_000, "screenshot " + screenshot);
            System.out.printf(
                    "teach a sign browser test: %s; after the restart: %s; %.1f s before the restart,"
                            + " %.1f s after; screenshots in %s%n",
                    taught, restarted, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, OUT);
        }
    }

    @Test
    void serverPlaysAVideoFileThroughThePipeline() throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        SdkModels models = models();
        try (DemoServer server = DemoServer.builder()
                .port(0)
                .sessions(models::newSession)
                .video(video)
                .model(models.signModel())
                .build()
                .start()) {
            DemoClient c = DemoClient.connect(server.port(), null);
            assertTrue(c.nextOfType("hello").get("video").getAsBoolean());
            c.ws.sendText("{\"type\":\"video\"}", true).join();
            JsonObject start = c.nextOfType("video-start");
            int declared = start.get("frames").getAsInt();
            int results = 0;
            int withPose = 0;
            int binaries = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                String m = c.messages.poll(60, TimeUnit.SECONDS);
                if (m == null) {
                    fail("no message for 60 s after " + results + " results");
                }
                if (m.startsWith("binary:")) {
                    binaries++;
                    continue;
                }
                JsonObject o = JsonParser.parseString(m).getAsJsonObject();
                String type = o.get("type").getAsString();
                if ("video-end".equals(type)) {
                    break;
                }
                assertEquals("result", type, m);
                assertEquals("video", o.get("source").getAsString());
                assertEquals(540, o.get("width").getAsInt());
                assertEquals(720, o.get("height").getAsInt());
                results++;
                if (!o.get("pose").isJsonNull()) {
                    assertEquals(33, o.getAsJsonArray("pose").size());
                    withPose++;
                }
            }
            // Every decoded frame comes back as a JPEG followed by its result.
            assertEquals(binaries, results);
            assertTrue(Math.abs(results - declared) <= 2, results + " results for " + declared + " declared frames");
            assertTrue(withPose >= results * 0.8, withPose + " of " + results + " frames had a pose");
        }
    }
}
