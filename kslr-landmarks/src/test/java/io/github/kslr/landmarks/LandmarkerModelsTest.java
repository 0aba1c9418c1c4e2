package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kslr.api.ClosedException;
import io.github.kslr.api.ExecutionDevice;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.ModelLoadException;
import io.github.kslr.api.ModelSource;
import io.github.kslr.api.PixelFormat;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandmarkerModelsTest {
    @Test
    void bundledModelsLoadOnTheCpuAndCloseIdempotently() {
        LandmarkerModels m = LandmarkerModels.load();
        assertEquals(ExecutionDevice.cpu(), m.device());
        HolisticLandmarker lm = HolisticLandmarker.builder(m).build();
        ImageFrame black = ImageFrame.packed(64, 48, PixelFormat.RGB, ByteBuffer.allocateDirect(64 * 48 * 3), 1);
        // A black frame has nothing in it.
        assertTrue(!lm.detect(black).pose().isPresent());
        m.close();
        m.close();
        // Landmarkers still holding closed models fail clearly.
        assertThrows(ClosedException.class, () -> lm.detect(black.withTimestamp(2)));
        lm.close();
    }

    @Test
    void badDirectoriesAndMissingModelsFailAtBuild(@TempDir Path dir) throws Exception {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> LandmarkerModels.builder()
                        .modelDirectory(dir.resolve("nope"))
                        .build());
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        // A directory with only some of the models: the first missing one is named.
        try (InputStream in = LandmarkerModels.class
                .getClassLoader()
                .getResourceAsStream(LandmarkerModels.RESOURCE_DIR + "pose_detection.onnx")) {
            Files.copy(in, dir.resolve("pose_detection.onnx"));
        }
        ModelLoadException m = assertThrows(
                ModelLoadException.class,
                () -> LandmarkerModels.builder().modelDirectory(dir).build());
        assertTrue(m.getMessage().contains("pose_landmark_full"), m.getMessage());
        assertThrows(
                InvalidInputException.class, () -> LandmarkerModels.builder().intraOpThreads(-1));
        assertThrows(
                InvalidInputException.class, () -> LandmarkerModels.builder().openCvThreads(-2));
    }

    @Test
    void aModelWithoutMediaPipesOutputNamesIsRejected(@TempDir Path dir) throws Exception {
        // Every file present, but the face landmark model is really the face detector: its outputs are wrong.
        for (HolisticModel model : HolisticModel.values()) {
            if (model == HolisticModel.FACE_LANDMARK) {
                continue;
            }
            String name = model.bundledName();
            try (InputStream in = LandmarkerModels.class
                    .getClassLoader()
                    .getResourceAsStream(LandmarkerModels.RESOURCE_DIR + name + ".onnx")) {
                Files.copy(in, dir.resolve(name + ".onnx"));
            }
        }
        Files.copy(
                dir.resolve(HolisticModel.FACE_DETECTION.bundledName() + ".onnx"),
                dir.resolve(HolisticModel.FACE_LANDMARK.bundledName() + ".onnx"));
        try (LandmarkerModels m = LandmarkerModels.builder().modelDirectory(dir).build()) {
            ModelLoadException e = assertThrows(
                    ModelLoadException.class,
                    () -> HolisticLandmarker.builder(m).build());
            assertTrue(e.getMessage().contains("conv2d_21"), e.getMessage());
        }
    }

    @Test
    void oneStageTakesAModelFromElsewhere(@TempDir Path dir) throws Exception {
        // A variant is a builder option: here the bundled pose landmark model under another name, as a converted
        // pose_landmark_heavy.onnx would be given.
        Path variant = dir.resolve("pose_landmark_variant.onnx");
        try (InputStream in = LandmarkerModels.class
                .getClassLoader()
                .getResourceAsStream(
                        LandmarkerModels.RESOURCE_DIR + HolisticModel.POSE_LANDMARK.bundledName() + ".onnx")) {
            Files.copy(in, variant);
        }
        ImageFrame black = ImageFrame.packed(64, 48, PixelFormat.RGB, ByteBuffer.allocateDirect(64 * 48 * 3), 1);
        try (LandmarkerModels m = LandmarkerModels.builder()
                        .model(HolisticModel.POSE_LANDMARK, ModelSource.ofPath(variant))
                        .build();
                HolisticLandmarker lm = HolisticLandmarker.builder(m).build()) {
            assertTrue(!lm.detect(black).pose().isPresent());
        }
        // A stage given a model with other outputs fails when a landmarker is built, naming what is missing.
        try (LandmarkerModels m = LandmarkerModels.builder()
                .model(
                        HolisticModel.POSE_LANDMARK,
                        ModelSource.ofResource(
                                LandmarkerModels.class.getClassLoader(),
                                LandmarkerModels.RESOURCE_DIR + HolisticModel.HAND_LANDMARK.bundledName() + ".onnx"))
                .build()) {
            ModelLoadException e = assertThrows(
                    ModelLoadException.class,
                    () -> HolisticLandmarker.builder(m).build());
            assertTrue(e.getMessage().contains("Identity_4"), e.getMessage());
        }
        // A missing variant file is named when the models are built.
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> LandmarkerModels.builder()
                        .model(HolisticModel.POSE_LANDMARK, ModelSource.ofPath(dir.resolve("pose_landmark_heavy.onnx")))
                        .build());
        assertTrue(e.getMessage().contains("pose_landmark_heavy"), e.getMessage());
    }

    @Test
    void int8PrecisionLoadsTheInt8ModelsThatExistAndFloatForTheRest(@TempDir Path dir) throws Exception {
        try (LandmarkerModels m = LandmarkerModels.builder().build()) {
            for (HolisticModel s : HolisticModel.values()) {
                assertEquals(ModelPrecision.FP32, m.precision(s), s.toString());
            }
        }
        try (LandmarkerModels m =
                LandmarkerModels.builder().precision(ModelPrecision.INT8).build()) {
            for (HolisticModel s : HolisticModel.values()) {
                boolean bundled = LandmarkerModels.class
                                .getClassLoader()
                                .getResource(
                                        LandmarkerModels.RESOURCE_DIR + s.bundledName() + LandmarkerModels.INT8_SUFFIX)
                        != null;
                assertEquals(bundled ? ModelPrecision.INT8 : ModelPrecision.FP32, m.precision(s), s.toString());
            }
        }
        // A model directory without int8 files: every stage float; a stage set with model() reports no precision.
        for (HolisticModel s : HolisticModel.values()) {
            try (InputStream in = LandmarkerModels.class
                    .getClassLoader()
                    .getResourceAsStream(LandmarkerModels.RESOURCE_DIR + s.bundledName() + ".onnx")) {
                Files.copy(in, dir.resolve(s.bundledName() + ".onnx"));
            }
        }
        try (LandmarkerModels m = LandmarkerModels.builder()
                .modelDirectory(dir)
                .precision(ModelPrecision.INT8)
                .model(HolisticModel.FACE_LANDMARK, ModelSource.ofPath(dir.resolve("face_landmark.onnx")))
                .build()) {
            assertEquals(ModelPrecision.FP32, m.precision(HolisticModel.HAND_LANDMARK));
            assertEquals(null, m.precision(HolisticModel.FACE_LANDMARK));
        }
        // With a NAME.int8.onnx beside the float file (any loadable model will do here), that stage runs it.
        Files.copy(
                dir.resolve("hand_landmark_full.onnx"),
                dir.resolve("hand_landmark_full" + LandmarkerModels.INT8_SUFFIX));
        try (LandmarkerModels m = LandmarkerModels.builder()
                .modelDirectory(dir)
                .precision(ModelPrecision.INT8)
                .build()) {
            assertEquals(ModelPrecision.INT8, m.precision(HolisticModel.HAND_LANDMARK));
            assertEquals(ModelPrecision.FP32, m.precision(HolisticModel.POSE_LANDMARK));
        }
    }
}
