package io.github.kslr.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.examples.TestModels;
import io.github.kslr.video.VideoFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kslr recognize}, run in-process end to end with the bundled models on the shared signing video. */
class RecognizeCommandTest {

    record Run(int code, String out, String err) {}

    static Run run(List<String> args) {
        String[] r = CliRun.run(args.toArray(String[]::new));
        return new Run(Integer.parseInt(r[0]), r[1], r[2]);
    }

    static List<String> args(String... a) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(TestModels.modelOptions());
        return l;
    }

    @Test
    void recognizesTheSigningVideoEndToEndAsJson(@TempDir Path tmp) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path voice = SharedFiles.require("fixtures/tts/tiny-khm-voice.onnx");
        Path wav = tmp.resolve("sentence.wav");
        Run r = run(
                args("recognize", video.toString(), "--json", "--voice", voice.toString(), "--speak", wav.toString()));
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        long frames = o.get("frames").getAsLong();
        // Every frame the container declares went through the pipeline.
        int declared;
        try (VideoFrames v = VideoFrames.open(video.toString())) {
            declared = v.lengthInFrames();
        }
        assertTrue(declared > 0 && Math.abs(frames - declared) <= 1, frames + " frames, " + declared + " declared");
        assertTrue(
                o.get("framesWithPose").getAsLong() >= frames * 0.8,
                "a person faces the camera throughout: " + r.out());
        assertTrue(o.get("framesWithHands").getAsLong() > 0, "the signer's hands are visible: " + r.out());
        assertTrue(o.get("timing").getAsJsonObject().get("landmarkMsPerFrame").getAsDouble() > 0);

        // The sentence is exactly the accepted signs' words, in order (no separator by default).
        StringBuilder words = new StringBuilder();
        for (JsonElement e : o.getAsJsonArray("signs")) {
            JsonObject s = e.getAsJsonObject();
            assertTrue(
                    s.get("confidence").getAsDouble() > 0 && s.get("confidence").getAsDouble() <= 1, s.toString());
            words.append(
                    s.get("khmer").getAsString().isEmpty()
                            ? s.get("gloss").getAsString()
                            : s.get("khmer").getAsString());
        }
        String sentence = o.get("sentence").getAsString();
        assertEquals(words.toString(), sentence);

        // With a voice, a non-empty sentence becomes a WAV file; an empty one writes nothing.
        if (sentence.isEmpty()) {
            assertTrue(o.get("speech").isJsonNull());
            assertFalse(Files.exists(wav));
        } else {
            assertEquals(wav.toString(), o.getAsJsonObject("speech").get("file").getAsString());
            try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
                AudioFormat f = in.getFormat();
                assertEquals(16, f.getSampleSizeInBits());
                assertTrue(in.getFrameLength() > 0);
            }
        }
    }

    /** A vocabulary of taught signs stands in for the sign model; it excludes --model. */
    @Test
    void recognizesWithAVocabularyOfTaughtSigns(@TempDir Path tmp) {
        Path vocab = tmp.resolve("signs.vocab");
        Run enrol = run(List.of(
                "enrol",
                "--vocabulary",
                vocab.toString(),
                "--data",
                SharedFiles.require("data/asl-traduttore").toString(),
                "--labels",
                "hello,coffee",
                "--shots",
                "5"));
        assertEquals(0, enrol.code(), enrol.err());
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Run r = run(List.of(
                "recognize", video.toString(), "--vocabulary", vocab.toString(), "--max-frames", "30", "--windows"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sentence: ") && r.out().contains("30 frames ("), r.out());
        Run both = run(
                List.of("recognize", video.toString(), "--vocabulary", vocab.toString(), "--model", vocab.toString()));
        assertTrue(both.code() != 0, both.err());
        assertTrue(both.err().contains("exclude each other"), both.err());
    }

    @Test
    void textOutputEndsWithTheSentenceAndCounts() {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Run r = run(args("recognize", video.toString(), "--max-frames", "12"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sentence: "), r.out());
        assertTrue(r.out().contains("12 frames ("), r.out());
    }

    @Test
    void everyFullWindowIsClassifiedWhenHandsAreNotRequired() {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Run r = run(args(
                "recognize", video.toString(), "--json", "--windows", "--hand-loss", "KEEP", "--max-frames", "26"));
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        int length = o.getAsJsonObject("model").get("sequenceLength").getAsInt();
        long frames = o.get("frames").getAsLong();
        assertEquals(26, frames);
        // Stride 1: a window after every frame once the buffer holds a full window.
        assertEquals(
                Math.max(0, frames - length + 1), o.getAsJsonArray("windows").size(), r.out());
        long previous = -1;
        for (JsonElement e : o.getAsJsonArray("windows")) {
            long f = e.getAsJsonObject().get("frame").getAsLong();
            assertTrue(f > previous && f >= length - 1, r.out());
            previous = f;
        }
    }

    @Test
    void fpsResamplesFramesBeforeTheWindow() {
        Path video = SharedFiles.require("media/signing/test_video.mp4"); // 359/12 = 29.92 frames/s
        String[] common = {"recognize", video.toString(), "--json", "--windows", "--hand-loss", "KEEP"};
        JsonArray asTheyCome = windows(run(args(common)));
        // At the video's own rate every frame enters once, each one frame later: the same windows but the last.
        JsonArray same = windows(run(args(concat(common, "--fps", Double.toString(359 / 12.0)))));
        assertEquals(asTheyCome.size() - 1, same.size());
        for (int i = 0; i < same.size(); i++) {
            JsonObject a = asTheyCome.get(i).getAsJsonObject(), b = same.get(i).getAsJsonObject();
            assertEquals(a.get("label"), b.get("label"), "window " + i);
            assertEquals(a.get("confidence"), b.get("confidence"), "window " + i);
        }
        // At twice the rate every frame enters twice, so the first window is full after half as many frames: its 20th
        // sample (at 19 x 16.7 ms) is taken when frame 10 (334 ms) arrives. (The command reports one window a frame.)
        Run twice = run(args(concat(common, "--fps", Double.toString(2 * 359 / 12.0))));
        int length = JsonParser.parseString(twice.out())
                .getAsJsonObject()
                .getAsJsonObject("model")
                .get("sequenceLength")
                .getAsInt();
        assertEquals(
                length - 1, asTheyCome.get(0).getAsJsonObject().get("frame").getAsInt());
        assertEquals(
                length / 2, windows(twice).get(0).getAsJsonObject().get("frame").getAsInt());
        Run bad = run(args(concat(common, "--fps", "-1")));
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("frameRate"), bad.err());
    }

    private static JsonArray windows(Run r) {
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("windows");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void moreLandmarkThreadsGiveTheSameRecognition() {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        String[] common = {"recognize", video.toString(), "--json", "--windows", "--hand-loss", "KEEP"};
        JsonObject one = JsonParser.parseString(run(args(common)).out()).getAsJsonObject();
        Run r = run(args(concat(common, "--threads", "2")));
        assertEquals(0, r.code(), r.err());
        JsonObject two = JsonParser.parseString(r.out()).getAsJsonObject();
        for (String key : new String[] {"frames", "framesWithPose", "framesWithHands", "sentence"}) {
            assertEquals(one.get(key), two.get(key), key);
        }
        JsonArray a = one.getAsJsonArray("windows"), b = two.getAsJsonArray("windows");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(
                    a.get(i).getAsJsonObject().get("label"),
                    b.get(i).getAsJsonObject().get("label"),
                    "" + i);
        }
    }

    @Test
    void liveHandsFramesOverAtTheVideosPaceAndCountsTheDropped() {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        long t0 = System.nanoTime();
        Run r = run(args("recognize", video.toString(), "--json", "--live"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        long processed = o.get("frames").getAsLong();
        long dropped = o.get("framesDropped").getAsLong();
        assertEquals(58, processed + dropped, r.out());
        assertTrue(processed > 0, r.out());
        // Played at its own pace: 58 frames at 29.9 frames/s take at least 1.9 s.
        assertTrue(seconds >= 1.9, seconds + " s");
        // A file is not live unless asked: nothing dropped, no count.
        JsonObject file = JsonParser.parseString(run(args("recognize", video.toString(), "--json", "--no-live"))
                        .out())
                .getAsJsonObject();
        assertEquals(58, file.get("frames").getAsLong());
        assertTrue(!file.has("framesDropped"), file.toString());
    }

    @Test
    void missingInputFailsWithAMessageNamingIt() {
        Run r = run(args("recognize", "no/such/video.mp4"));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("no/such/video.mp4"), r.err());
    }

    @Test
    void aFileThatIsNoVideoFailsWithFfmpegsReason(@TempDir Path tmp) throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.mp4"), "this is text, not a video");
        Run r = run(List.of("recognize", notes.toString()));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("cannot open " + notes) && r.err().contains("FFmpeg"), r.err());
    }

    @Test
    void voiceWithoutSpeakIsAUsageError() {
        Run r = run(List.of("recognize", "x.mp4", "--voice", "v.onnx"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--speak"), r.err());
    }

    @Test
    void badCameraSpecIsRejected() {
        Run r = run(args("recognize", "camera:front"));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("camera:N"), r.err());
    }

    @Test
    void helpDescribesTheCommand() {
        Run r = run(List.of("recognize", "--help"));
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--json") && r.out().contains("--speak"), r.out());
    }

    /** Landmarks from a .pose file (pose-format) are recognised as the video they came from. */
    @Test
    void recognisesLandmarksFromAPoseFile(@TempDir Path tmp) {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path pose = tmp.resolve("test_video.pose");
        Run lm = run(List.of("landmarks", video.toString(), "--out", pose.toString()));
        assertEquals(0, lm.code(), lm.err());
        List<String> common = List.of("--json", "--windows", "--hand-loss", "KEEP");
        List<String> fromPose = new ArrayList<>(List.of("recognize", pose.toString()));
        fromPose.addAll(common);
        List<String> fromVideo = new ArrayList<>(List.of("recognize", video.toString()));
        fromVideo.addAll(common);
        Run p = run(fromPose);
        Run v = run(fromVideo);
        assertEquals(0, p.code(), p.err());
        assertEquals(0, v.code(), v.err());
        JsonObject po = JsonParser.parseString(p.out()).getAsJsonObject();
        JsonObject vo = JsonParser.parseString(v.out()).getAsJsonObject();
        assertEquals(58, po.get("frames").getAsLong());
        JsonArray pw = po.getAsJsonArray("windows");
        JsonArray vw = vo.getAsJsonArray("windows");
        assertEquals(vw.size(), pw.size());
        for (int i = 0; i < pw.size(); i++) {
            JsonObject a = pw.get(i).getAsJsonObject();
            JsonObject b = vw.get(i).getAsJsonObject();
            assertEquals(b.get("label").getAsString(), a.get("label").getAsString(), "window " + i);
            // The .pose holds float32 pixels: the same landmarks to a few ulp.
            assertEquals(b.get("confidence").getAsDouble(), a.get("confidence").getAsDouble(), 2e-3, "window " + i);
        }
    }
}
