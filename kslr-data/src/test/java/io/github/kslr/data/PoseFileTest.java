package io.github.kslr.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.HandLandmark;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.PoseLandmark;
import io.github.kslr.api.testing.FuzzChecks;
import io.github.kslr.api.testing.SharedFiles;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PoseFile} and {@link HolisticPose} against pose-format itself: the two real {@code .pose} files of
 * pose-format's tests ({@code ../shared/media/pose-format}) read as npm {@code pose-format} 1.6.2 reads them, npm
 * reads what KSLR writes with the same values, round trips, named errors and the fuzz property.
 */
class PoseFileTest {
    @TempDir
    Path dir;

    /** Landmark frames with every part kind: present, absent, pose visibility varying. */
    static List<HolisticLandmarks> frames(int n, int width, int height) {
        Random r = new Random(19);
        List<HolisticLandmarks> frames = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            frames.add(new HolisticLandmarks(
                    Math.round(f * 1000.0 / 30),
                    width,
                    height,
                    set(LandmarkPart.POSE, r, f % 5 != 4),
                    set(LandmarkPart.POSE_WORLD, r, f % 5 != 4),
                    set(LandmarkPart.FACE, r, f % 3 != 1),
                    set(LandmarkPart.LEFT_HAND, r, f % 2 == 0),
                    set(LandmarkPart.RIGHT_HAND, r, f % 4 != 3)));
        }
        return frames;
    }

    private static LandmarkSet set(LandmarkPart part, Random r, boolean present) {
        if (!present) {
            return LandmarkSet.absent(part);
        }
        float[] v = new float[part.valueCount()];
        for (int i = 0; i < v.length; i++) {
            boolean visibility = part.hasVisibility() && i % 4 == 3;
            v[i] = visibility
                    ? r.nextFloat()
                    : part == LandmarkPart.POSE_WORLD
                            ? r.nextFloat() - 0.5f
                            : i % part.valuesPerLandmark() == 2 ? (r.nextFloat() - 0.5f) * 0.2f : r.nextFloat();
        }
        return LandmarkSet.of(part, v, 0, 1f);
    }

    /** The header values npm pose-format reports for the file. */
    private static void assertHeader(PoseFile pose, float version, int width, int height, float fps, int frames) {
        assertEquals(version, pose.version(), "version");
        assertEquals(width, pose.width(), "width");
        assertEquals(height, pose.height(), "height");
        assertEquals(fps, pose.fps(), "fps");
        assertEquals(frames, pose.frameCount(), "frames");
    }

    @Test
    void readsPoseFormatsMediapipeFileAsNpmPoseFormatDoes() throws Exception {
        Path file = SharedFiles.require("media/pose-format/mediapipe.pose");
        PoseFile pose = PoseFile.read(file);
        assertHeader(pose, 0.1f, 1250, 1250, 24f, 170);
        assertEquals(
                List.of("POSE_LANDMARKS", "FACE_LANDMARKS", "LEFT_HAND_LANDMARKS", "RIGHT_HAND_LANDMARKS"),
                pose.components().stream().map(PoseFile.Component::name).toList());
        assertEquals(
                List.of(8, 128, 21, 21),
                pose.components().stream().map(c -> c.points().size()).toList());
        assertTrue(pose.components().stream().allMatch(c -> c.format().equals("XYZC")));
        NpmPoseFormat.assertSame(NpmPoseFormat.read(file), pose);

        // Its reduced components map onto KSLR's parts by point name.
        List<HolisticLandmarks> frames = HolisticPose.toHolistic(pose);
        assertEquals(170, frames.size());
        assertEquals(Math.round(169 * 1000.0 / 24), frames.get(169).timestampMs());
        int wrist = pose.component("POSE_LANDMARKS").points().indexOf("LEFT_WRIST");
        HolisticLandmarks some =
                frames.stream().filter(f -> f.pose().isPresent()).findFirst().orElseThrow();
        int f = frames.indexOf(some);
        assertEquals(pose.value(f, 0, wrist, 0) / 1250f, some.pose().x(PoseLandmark.LEFT_WRIST));
        assertEquals(pose.value(f, 0, wrist, 1) / 1250f, some.pose().y(PoseLandmark.LEFT_WRIST));
        assertEquals(pose.confidence(f, 0, wrist), some.pose().visibility(PoseLandmark.LEFT_WRIST));
        assertEquals(0f, some.pose().x(PoseLandmark.NOSE), "a point the file lacks reads as 0");
        int face = pose.pointOffset("FACE_LANDMARKS");
        String faceName = pose.component("FACE_LANDMARKS").points().get(5);
        HolisticLandmarks withFace =
                frames.stream().filter(x -> x.face().isPresent()).findFirst().orElseThrow();
        assertEquals(
                pose.value(frames.indexOf(withFace), 0, face + 5, 2),
                withFace.face().z(Integer.parseInt(faceName)));
        assertFalse(frames.get(0).poseWorld().isPresent(), "the file has no POSE_WORLD_LANDMARKS");
    }

    @Test
    void readsPoseFormatsOpenposeFileAsNpmPoseFormatDoes() throws Exception {
        Path file = SharedFiles.require("media/pose-format/openpose.pose");
        PoseFile pose = PoseFile.read(file);
        assertHeader(pose, 0f, 1000, 1000, 24f, 93);
        assertTrue(pose.components().stream().allMatch(c -> c.format().equals("XYC")));
        assertEquals(2, pose.dims());
        NpmPoseFormat.assertSame(NpmPoseFormat.read(file), pose);
        // No MediaPipe component: refused by name.
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HolisticPose.toHolistic(pose));
        assertTrue(e.getMessage().contains("pose_keypoints_2d"), e.getMessage());
    }

    @Test
    void npmPoseFormatReadsWhatKslrWritesWithTheSameValues() throws Exception {
        List<HolisticLandmarks> frames = frames(12, 640, 480);
        PoseFile pose = HolisticPose.toPose(frames, 30f);
        Path file = dir.resolve("kslr.pose");
        pose.write(file);
        NpmPoseFormat.Parsed npm = NpmPoseFormat.read(file);
        assertEquals(0.2, npm.version(), 1e-6);
        NpmPoseFormat.assertSame(npm, pose);
        assertEquals(
                List.of(
                        "POSE_LANDMARKS",
                        "FACE_LANDMARKS",
                        "LEFT_HAND_LANDMARKS",
                        "RIGHT_HAND_LANDMARKS",
                        "POSE_WORLD_LANDMARKS"),
                npm.components().stream().map(PoseFile.Component::name).toList());
        // And npm's values are KSLR's landmarks in pose-format's units.
        float[] first = npm.frames().get(0).get(0);
        HolisticLandmarks lm = frames.get(0);
        assertEquals(lm.pose().x(0) * 640, first[0]);
        assertEquals(lm.pose().y(0) * 480, first[1]);
        assertEquals(lm.pose().z(0), first[2]);
        assertEquals(lm.pose().visibility(0), first[3]);
        int leftWrist = (33 + 468) * 4;
        float[] second = npm.frames().get(1).get(0);
        assertFalse(frames.get(1).leftHand().isPresent());
        assertArrayEquals(new float[4], Arrays.copyOfRange(second, leftWrist, leftWrist + 4));
        assertEquals(1f, first[leftWrist + 3], "a present hand's confidence is 1");
    }

    @Test
    void roundTripsExactlyThroughTheFileAndCloselyThroughLandmarks() throws IOException {
        List<HolisticLandmarks> frames = frames(20, 1280, 720);
        PoseFile pose = HolisticPose.toPose(frames, 29.97f);
        Path file = dir.resolve("a.pose");
        pose.write(file);
        PoseFile back = PoseFile.read(file);
        assertEquals(pose, back);
        assertArrayEquals(Files.readAllBytes(file), back.toBytes());

        List<HolisticLandmarks> again = HolisticPose.toHolistic(back);
        assertEquals(frames.size(), again.size());
        for (int f = 0; f < frames.size(); f++) {
            assertEquals(Math.round(f * 1000.0 / 29.97f), again.get(f).timestampMs());
            for (LandmarkPart part : LandmarkPart.values()) {
                LandmarkSet want = frames.get(f).part(part);
                LandmarkSet got = again.get(f).part(part);
                assertEquals(want.isPresent(), got.isPresent(), part + " of frame " + f);
                float[] a = want.toArray();
                float[] b = got.toArray();
                for (int i = 0; i < a.length; i++) {
                    // x * width / width in float32: within an ulp or two.
                    assertEquals(a[i], b[i], Math.ulp(a[i]) * 2, part + " value " + i + " of frame " + f);
                }
            }
        }
    }

    @Test
    void pointNamesAreKslrsLandmarkConstants() throws IllegalAccessException {
        assertEquals(HolisticPose.BODY_POINTS, constants(PoseLandmark.class));
        assertEquals(HolisticPose.HAND_POINTS, constants(HandLandmark.class));
    }

    private static List<String> constants(Class<?> type) throws IllegalAccessException {
        String[] names = new String[64];
        int n = 0;
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == int.class
                    && !f.getName().equals("COUNT")) {
                names[f.getInt(null)] = f.getName();
                n++;
            }
        }
        return List.of(Arrays.copyOf(names, n));
    }

    @Test
    void damagedFilesAreRefusedWithNamedErrors() {
        byte[] good = HolisticPose.toPose(frames(2, 64, 48), 25f).toBytes();

        InvalidInputException truncated = assertThrows(
                InvalidInputException.class, () -> PoseFile.read(Arrays.copyOf(good, good.length - 1), "t.pose"));
        assertTrue(truncated.getMessage().contains("t.pose is truncated: the body"), truncated.getMessage());

        byte[] version = good.clone();
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 0.3f);
        InvalidInputException v = assertThrows(InvalidInputException.class, () -> PoseFile.read(version, "v.pose"));
        assertTrue(v.getMessage().contains("version 0.3 is not supported"), v.getMessage());

        // A frame count the file cannot hold: refused before the arrays are made.
        byte[] frames = good.clone();
        int framesAt = good.length - 4 * 2 * 576 * 4 - 6;
        ByteBuffer.wrap(frames).order(ByteOrder.LITTLE_ENDIAN).putInt(framesAt, -1);
        InvalidInputException c = assertThrows(InvalidInputException.class, () -> PoseFile.read(frames, "c.pose"));
        assertTrue(c.getMessage().contains("4294967295 frames"), c.getMessage());

        byte[] components = good.clone();
        ByteBuffer.wrap(components).order(ByteOrder.LITTLE_ENDIAN).putShort(10, (short) 0xffff);
        InvalidInputException k = assertThrows(InvalidInputException.class, () -> PoseFile.read(components, "k.pose"));
        assertTrue(k.getMessage().contains("65535 components"), k.getMessage());

        assertThrows(InvalidInputException.class, () -> PoseFile.read(new byte[3], "short.pose"));
    }

    @Test
    void readsOrRefusesDamagedFiles() {
        byte[] seed = HolisticPose.toPose(frames(2, 64, 48), 25f).toBytes();
        FuzzChecks.forEachMutant(
                "PoseFile.read v0.2",
                seed,
                300,
                m -> FuzzChecks.parses(m, () -> PoseFile.read(m.bytes(), "m.pose"), InvalidInputException.class));
    }

    @Test
    void readsOrRefusesDamagedCopiesOfTheRealVersion0File() throws IOException {
        byte[] real = Files.readAllBytes(SharedFiles.require("media/pose-format/openpose.pose"));
        FuzzChecks.forEachMutant(
                "PoseFile.read shared openpose.pose (v0)",
                real,
                150,
                m -> FuzzChecks.parses(m, () -> PoseFile.read(m.bytes(), "m.pose"), InvalidInputException.class));
    }
}
