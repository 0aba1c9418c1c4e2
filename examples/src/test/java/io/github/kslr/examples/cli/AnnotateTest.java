package io.github.kslr.examples.cli;

import static io.github.kslr.examples.cli.CliRun.assertSucceeded;
import static io.github.kslr.examples.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.HandLandmark;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkConnection;
import io.github.kslr.api.PoseLandmark;
import io.github.kslr.api.testing.SharedFiles;
import io.github.kslr.examples.TestModels;
import io.github.kslr.video.VideoFrames;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --annotate OUT.mp4} of {@code kslr landmarks} and {@code kslr recognize}: the written video is decoded back
 * and compared with the input, at the landmarks the same run wrote to JSON.
 */
class AnnotateTest {

    /** A decoded video: its frames as packed BGR rows, and what the container says. */
    record Video(List<byte[]> frames, int width, int height, double fps) {
        int pixel(int frame, int x, int y, int channel) {
            return frames.get(frame)[(y * width + x) * 3 + channel] & 0xff;
        }

        /** Mean of a channel over the 3x3 pixels around (x, y). */
        double mean(int frame, int x, int y, int channel) {
            double sum = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    sum += pixel(frame, x + dx, y + dy, channel);
                }
            }
            return sum / 9;
        }
    }

    static Video decode(Path file) {
        try (VideoFrames v = VideoFrames.open(file.toString())) {
            List<byte[]> frames = new ArrayList<>();
            for (ImageFrame f = v.next(); f != null; f = v.next()) {
                byte[] packed = new byte[f.width() * f.height() * 3];
                ByteBuffer px = f.pixels();
                for (int y = 0; y < f.height(); y++) {
                    px.get(f.offset() + y * f.rowStride(), packed, y * f.width() * 3, f.width() * 3);
                }
                frames.add(packed);
            }
            return new Video(frames, v.width(), v.height(), v.frameRate());
        }
    }

    /** Pixel positions of one JSON part ({@code [[x, y, ...], ...]}, normalised), or null when absent. */
    static double[][] points(JsonObject frame, String part, int width, int height) {
        JsonElement e = frame.get(part);
        if (e == null || !e.isJsonArray()) {
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        double[][] p = new double[a.size()][];
        for (int i = 0; i < a.size(); i++) {
            JsonArray v = a.get(i).getAsJsonArray();
            double visibility = v.size() > 3 ? v.get(3).getAsDouble() : 1;
            p[i] = new double[] {v.get(0).getAsDouble() * width, v.get(1).getAsDouble() * height, visibility};
        }
        return p;
    }

    /** Distance from (x, y) to the segment a-b. */
    static double toSegment(double x, double y, double[] a, double[] b) {
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
        return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
    }

    /** Distance from (x, y) to the nearest thing the painter draws for this frame (points and lines). */
    static double toDrawing(double x, double y, double[][] pose, List<double[][]> others) {
        double d = Double.MAX_VALUE;
        if (pose != null) {
            for (LandmarkConnection c : PoseLandmark.CONNECTIONS) {
                if (pose[c.start()][2] >= 0.5 && pose[c.end()][2] >= 0.5) {
                    d = Math.min(d, toSegment(x, y, pose[c.start()], pose[c.end()]));
                }
            }
            for (double[] p : pose) {
                if (p[2] >= 0.5) {
                    d = Math.min(d, Math.hypot(x - p[0], y - p[1]));
                }
            }
        }
        for (double[][] part : others) {
            if (part == null) {
                continue;
            }
            if (part.length == HandLandmark.COUNT) {
                for (LandmarkConnection c : HandLandmark.CONNECTIONS) {
                    d = Math.min(d, toSegment(x, y, part[c.start()], part[c.end()]));
                }
            }
            for (double[] p : part) {
                d = Math.min(d, Math.hypot(x - p[0], y - p[1]));
            }
        }
        return d;
    }

    @Test
    void landmarksAnnotateDrawsWhereTheLandmarksAreAndLeavesTheRestAlone(@TempDir Path dir) throws Exception {
        Path input = SharedFiles.require("media/signing/test_video.mp4");
        Path json = dir.resolve("lm.json");
        Path annotated = dir.resolve("annotated.mp4");
        String[] r = run("landmarks", input.toString(), "--out", json.toString(), "--annotate", annotated.toString());
        assertSucceeded(r, "and " + annotated + " (landmarks drawn)");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("annotated.mp4", "lm.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }

        Video in = decode(input);
        Video out = decode(annotated);
        assertEquals(in.frames().size(), out.frames().size(), "frame count");
        assertEquals(in.width(), out.width());
        assertEquals(in.height(), out.height());
        assertEquals(in.fps(), out.fps(), in.fps() * 1e-3, "frame rate");

        JsonArray frames = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertEquals(in.frames().size(), frames.size());
        int w = in.width();
        int h = in.height();
        int checkedPose = 0;
        int checkedHands = 0;
        double farDiff = 0;
        long farCount = 0;
        for (int k : new int[] {5, 20, 35, 50}) {
            JsonObject f = frames.get(k).getAsJsonObject();
            double[][] pose = points(f, "pose", w, h);
            double[][] face = points(f, "face", w, h);
            double[][] left = points(f, "leftHand", w, h);
            double[][] right = points(f, "rightHand", w, h);
            // Arm landmarks drawn in pose green: each one clear of the hands and face, which are drawn over it.
            for (int i = PoseLandmark.LEFT_SHOULDER; i <= PoseLandmark.RIGHT_WRIST && pose != null; i++) {
                double[] p = pose[i];
                int x = (int) Math.floor(p[0]);
                int y = (int) Math.floor(p[1]);
                if (p[2] < 0.5 || x < 4 || y < 4 || x >= w - 4 || y >= h - 4) {
                    continue;
                }
                if (toDrawing(p[0], p[1], null, List.of(orEmpty(face), orEmpty(left), orEmpty(right))) < 12) {
                    continue;
                }
                // B, G, R of the web demo's pose green (63, 185, 80) around the dot's centre, within what H.264
                // keeps of a 7-pixel dot's colour (up to 15 levels off here; the hands' colours below show that blue
                // and red are not swapped, which this green's would not).
                int[] expected = {80, 185, 63};
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[c], out.mean(k, x, y, c), 25, "frame " + k + " pose " + i + " channel " + c);
                }
                checkedPose++;
            }
            // Hand landmarks: the fingertips, in their hand's dot colour, clear of the other hand.
            for (int side = 0; side < 2; side++) {
                double[][] hand = side == 0 ? left : right;
                double[][] other = side == 0 ? right : left;
                if (hand == null) {
                    continue;
                }
                int[] expected = side == 0 ? new int[] {0, 200, 255} : new int[] {255, 180, 120};
                for (int i :
                        new int[] {HandLandmark.THUMB_TIP, HandLandmark.INDEX_FINGER_TIP, HandLandmark.PINKY_TIP}) {
                    double[] p = hand[i];
                    int x = (int) Math.floor(p[0]);
                    int y = (int) Math.floor(p[1]);
                    boolean crowded = false;
                    for (int j = 0; j < hand.length; j++) {
                        crowded |= j != i && Math.hypot(hand[j][0] - p[0], hand[j][1] - p[1]) < 8;
                    }
                    if (crowded
                            || x < 4
                            || y < 4
                            || x >= w - 4
                            || y >= h - 4
                            || toDrawing(p[0], p[1], null, List.<double[][]>of(orEmpty(other))) < 12) {
                        continue;
                    }
                    for (int c = 0; c < 3; c++) {
                        assertEquals(expected[c], out.mean(k, x, y, c), 30, "frame " + k + " hand " + side + " " + i);
                    }
                    checkedHands++;
                }
            }
            // Far from everything drawn, the picture is the input's up to the encoder's rounding.
            for (int y = 2; y < h; y += 9) {
                for (int x = 2; x < w; x += 9) {
                    if (toDrawing(x, y, pose, List.of(orEmpty(face), orEmpty(left), orEmpty(right))) < 20) {
                        continue;
                    }
                    for (int c = 0; c < 3; c++) {
                        farDiff += Math.abs(out.pixel(k, x, y, c) - in.pixel(k, x, y, c));
                        farCount++;
                    }
                }
            }
        }
        assertTrue(checkedPose >= 4, "pose landmarks checked: " + checkedPose);
        assertTrue(checkedHands >= 2, "hand landmarks checked: " + checkedHands);
        assertTrue(farCount > 10_000, "pixels far from the drawing: " + farCount);
        assertTrue(farDiff / farCount < 4, "mean difference far from the drawing: " + farDiff / farCount);
    }

    private static double[][] orEmpty(double[][] part) {
        return part == null ? new double[0][] : part;
    }

    @Test
    void recognizeAnnotateWritesEveryFrameItProcessedWithACaptionBand(@TempDir Path dir) throws Exception {
        Path input = SharedFiles.require("media/signing/test_video.mp4");
        Path annotated = dir.resolve("recognized.mp4");
        List<String> args = new ArrayList<>(List.of(
                "recognize", input.toString(), "--json", "--max-frames", "12", "--annotate", annotated.toString()));
        args.addAll(TestModels.modelOptions());
        String[] r = run(args.toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
        JsonObject o = JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals(annotated.toString(), o.get("annotated").getAsString());
        assertEquals(12, o.get("frames").getAsInt());

        Video in = decode(input);
        Video out = decode(annotated);
        assertEquals(12, out.frames().size());
        assertEquals(in.width(), out.width());
        assertEquals(in.height(), out.height());
        // The caption band (the sentence line) darkens the top of each frame; the text is white on it.
        for (int k = 0; k < 12; k += 5) {
            double before = 0;
            double after = 0;
            int white = 0;
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < in.width(); x++) {
                    for (int c = 0; c < 3; c++) {
                        before += in.pixel(k, x, y, c);
                        after += out.pixel(k, x, y, c);
                    }
                    white += out.pixel(k, x, y, 0) > 230 && out.pixel(k, x, y, 1) > 230 && out.pixel(k, x, y, 2) > 230
                            ? 1
                            : 0;
                }
            }
            assertTrue(after < 0.7 * before, "frame " + k + ": band " + after + " vs input " + before);
            assertTrue(white > 50, "frame " + k + ": white caption pixels " + white);
        }
    }

    @Test
    void annotateRefusesInputsWithoutEveryFrame(@TempDir Path dir) throws Exception {
        Path video = SharedFiles.require("media/signing/test_video.mp4");
        Path pose = SharedFiles.require("media/pose-format/mediapipe.pose");
        Path annotated = dir.resolve("a.mp4");
        String[] r = run("recognize", pose.toString(), "--annotate", annotated.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("a .pose file holds none"), r[2]);
        r = run("recognize", video.toString(), "--live", "--annotate", annotated.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("add --no-live"), r[2]);
        r = run(
                "landmarks",
                video.toString(),
                "--out",
                dir.resolve("x.json").toString(),
                "--annotate",
                video.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("--annotate " + video + " is the same file as INPUT"), r[2]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
        assertFalse(Files.exists(annotated));
    }
}
