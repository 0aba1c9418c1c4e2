package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertRefused;
import static io.github.kslr.examples.cli.CliRun.assertSucceeded;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.data.HolisticPose;
import io.github.kslr.data.Npy;
import io.github.kslr.data.NpyArray;
import io.github.kslr.data.PoseFile;
import io.github.kslr.landmarks.HolisticModel;
import io.github.kslr.landmarks.LandmarkerModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandmarksCommandTest {
    @Test
    void poseOutputHoldsTheSameLandmarksAsTheJson(@TempDir Path dir) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path pose = dir.resolve("v.pose");
        Path json = dir.resolve("v.json");
        String[] r = run("landmarks", video.toString(), "--out", pose.toString(), "--max-frames", "4");
        assertSucceeded(r, "4 frame(s) in video mode", "wrote " + pose);
        r = run("landmarks", video.toString(), "--out", json.toString(), "--max-frames", "4");
        assertEquals("0", r[0], r[2]);
        PoseFile file = PoseFile.read(pose);
        assertEquals(0.2f, file.version());
        assertEquals(540, file.width());
        assertEquals(720, file.height());
        assertEquals(4, file.frameCount());
        assertTrue(file.fps() > 0, "the video's frame rate");
        // HolisticPose's components: their names, order, points, limbs and colours are pose-format's (PoseFileTest
        // checks them against npm pose-format).
        assertEquals(HolisticPose.components(), file.components());
        List<HolisticLandmarks> frames = HolisticPose.toHolistic(file);
        JsonArray expected = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        for (int i = 0; i < 4; i++) {
            JsonObject f = expected.get(i).getAsJsonObject();
            HolisticLandmarks lm = frames.get(i);
            assertTrue(lm.pose().isPresent());
            JsonArray p = f.getAsJsonArray("pose");
            for (int k = 0; k < 33; k++) {
                JsonArray e = p.get(k).getAsJsonArray();
                for (int c = 0; c < 4; c++) {
                    // JSON values are rounded to 1e-5.
                    assertEquals(e.get(c).getAsDouble(), lm.pose().value(k, c), 2e-5, "pose " + k + "." + c);
                }
            }
            assertEquals(f.get("leftHand").isJsonArray(), lm.leftHand().isPresent(), "left hand " + i);
            assertEquals(f.get("rightHand").isJsonArray(), lm.rightHand().isPresent(), "right hand " + i);
            assertEquals(f.get("face").isJsonArray(), lm.face().isPresent(), "face " + i);
        }
    }

    @Test
    void imageGivesMediaPipesPoseWithinItsTolerance(@TempDir Path dir) throws Exception {
        Path image = SharedFiles.require("media/tfjs/pose.jpg");
        JsonObject expected = JsonParser.parseString(
                        Files.readString(SharedFiles.require("media/tfjs/pose.expected.json")))
                .getAsJsonObject();
        Path json = dir.resolve("pose.json");
        String[] r = run("landmarks", image.toString(), "--out", json.toString());
        assertSucceeded(r, "1 frame(s) in image mode");
        JsonArray frames = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertEquals(1, frames.size());
        JsonObject f = frames.get(0).getAsJsonObject();
        assertEquals(0, f.get("frame").getAsInt());
        int w = f.get("width").getAsInt(), h = f.get("height").getAsInt();
        assertEquals(expected.get("width").getAsInt(), w);
        assertEquals(expected.get("height").getAsInt(), h);
        JsonArray pose = f.getAsJsonArray("pose");
        assertEquals(33, pose.size());
        assertEquals(4, pose.get(0).getAsJsonArray().size());
        JsonArray exp = expected.getAsJsonArray("landmarks");
        double sum = 0;
        for (int i = 0; i < 33; i++) {
            JsonArray p = pose.get(i).getAsJsonArray(), e = exp.get(i).getAsJsonArray();
            sum += Math.hypot(
                    p.get(0).getAsDouble() * w - e.get(0).getAsDouble(),
                    p.get(1).getAsDouble() * h - e.get(1).getAsDouble());
        }
        assertTrue(sum / 33 <= 11, "mean pose error " + sum / 33 + " px > MediaPipe's 11 px tolerance");
    }

    @Test
    void int8RunsFloatModelsWhereNoInt8ModelIsBundled(@TempDir Path dir) throws Exception {
        Path image = SharedFiles.require("media/khmer-forms/form_a.jpg");
        Path fp32 = dir.resolve("fp32.json");
        Path int8 = dir.resolve("int8.json");
        String[] r = run("landmarks", image.toString(), "--out", fp32.toString());
        assertEquals("0", r[0], r[2]);
        r = run("landmarks", image.toString(), "--out", int8.toString(), "--int8");
        assertEquals("0", r[0], r[2]);
        // No stage has a bundled int8 model now (README, "Int8 models"): --int8 runs every stage in float, so the
        // output is the float run's, number for number.
        for (HolisticModel s : HolisticModel.values()) {
            assertNull(
                    LandmarksCommandTest.class
                            .getClassLoader()
                            .getResource("io/github/kslr/landmarks/models/" + s.bundledName()
                                    + LandmarkerModels.INT8_SUFFIX),
                    s + " has a bundled int8 model: this test expects none");
        }
        assertEquals(Files.readString(fp32), Files.readString(int8));
        assertTrue(Files.readString(fp32).contains("\"face\":[["), "a face in " + image);
    }

    @Test
    void videoWritesTrackedFramesAndTheirFeatures(@TempDir Path dir) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path json = dir.resolve("v.json");
        Path npy = dir.resolve("v.npy");
        String[] r = run(
                "landmarks",
                video.toString(),
                "--out",
                json.toString(),
                "--npy",
                npy.toString(),
                "--layout",
                "pose-hands-258",
                "--max-frames",
                "12");
        assertSucceeded(r, "12 frame(s) in video mode");
        JsonArray frames = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertEquals(12, frames.size());
        NpyArray features = Npy.read(npy);
        assertArrayEquals(new int[] {12, 258}, features.shape());
        float[] x = features.toFloatArray();
        FeatureLayout layout = FeatureLayout.of("pose-hands-258");
        long previous = -1;
        for (int i = 0; i < 12; i++) {
            JsonObject f = frames.get(i).getAsJsonObject();
            assertEquals(i, f.get("frame").getAsInt());
            long ts = f.get("timestampMs").getAsLong();
            assertTrue(ts > previous, "timestamps must increase: " + ts + " after " + previous);
            previous = ts;
            assertEquals(540, f.get("width").getAsInt());
            assertEquals(720, f.get("height").getAsInt());
            JsonElement pose = f.get("pose");
            assertTrue(pose.isJsonArray(), "the signer's pose is in every frame");
            // The .npy row is the same landmarks through the layout (JSON values are rounded to 1e-5).
            for (int lm = 0; lm < 33; lm++) {
                for (int c = 0; c < 4; c++) {
                    float v = x[i * 258 + layout.columnOf(LandmarkPart.POSE, lm, c)];
                    assertEquals(
                            pose.getAsJsonArray()
                                    .get(lm)
                                    .getAsJsonArray()
                                    .get(c)
                                    .getAsDouble(),
                            v,
                            1e-5);
                }
            }
            assertEquals(468, f.getAsJsonArray("face").size());
        }
        assertNotEquals(
                frames.get(0).getAsJsonObject().getAsJsonArray("pose").get(0).toString(),
                frames.get(11).getAsJsonObject().getAsJsonArray("pose").get(0).toString(),
                "the signer moves");
    }

    @Test
    void theFaceBranchOnItsOwnThreadWritesTheSameFile(@TempDir Path dir) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path serial = dir.resolve("serial.json");
        Path parallel = dir.resolve("parallel.json");
        assertEquals("0", run("landmarks", video.toString(), "--out", serial.toString(), "--max-frames", "15")[0]);
        String[] r = run(
                "landmarks",
                video.toString(),
                "--out",
                parallel.toString(),
                "--max-frames",
                "15",
                "--face-in-parallel");
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.readString(serial).contains("face"), "the file holds faces");
        assertEquals(Files.readString(serial), Files.readString(parallel));
    }

    @Test
    void rejectsABadMode(@TempDir Path dir) {
        String[] r = run("landmarks", "x.jpg", "--out", dir.resolve("o.json").toString(), "--mode", "fast");
        assertRefused(r, "--mode must be image or video, was fast");
    }

    /** Bad media never looks like success (a truncated mp4 once gave 25 of 58 frames and exit 0). */
    @Test
    void badMediaIsAnErrorUnlessPartialInputIsAccepted(@TempDir Path tmp) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path half = tmp.resolve("half.mp4");
        Files.write(half, java.util.Arrays.copyOf(Files.readAllBytes(video), 172016));
        Path json = tmp.resolve("o.json");
        String[] r = run("landmarks", half.toString(), "--out", json.toString());
        assertRefused(
                r,
                "half.mp4 ended early: 25 of 58 frames the container declares were decoded",
                "partial file",
                "--accept-partial");
        assertTrue(!Files.exists(json), "nothing written");

        String[] partial = run("landmarks", half.toString(), "--out", json.toString(), "--accept-partial");
        assertSucceeded(partial, "25 frame(s) (of 58 frames the container declares)");
        assertEquals(
                25,
                JsonParser.parseString(Files.readString(json)).getAsJsonArray().size());

        Path noise = tmp.resolve("r.jpg");
        byte[] bytes = new byte[200_000];
        new java.util.Random(5).nextBytes(bytes);
        Files.write(noise, bytes);
        String[] n = run("recognize", noise.toString(), "--json");
        assertRefused(n, "r.jpg holds no frame that FFmpeg can decode");
    }

    /** {@code --out} equal to the input once replaced the video with JSON; {@code --npy} equal to it, the JSON. */
    @Test
    void refusesToWriteOverItsInput(@TempDir Path tmp) throws Exception {
        Path video = Files.copy(SharedFiles.require("media/signing/test_video.mp4"), tmp.resolve("v.mp4"));
        byte[] before = Files.readAllBytes(video);
        String[] r = run(
                "landmarks",
                video.toString(),
                "--out",
                tmp.resolve(".").resolve("v.mp4").toString());
        assertRefused(r, "is the same file as INPUT");
        assertArrayEquals(before, Files.readAllBytes(video));
        Path json = tmp.resolve("o.json");
        String[] both = run("landmarks", video.toString(), "--out", json.toString(), "--npy", json.toString());
        assertRefused(both, "--npy " + json + " is the same file as --out");
    }
}
