package io.github.kslr.landmarks;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.api.testing.SharedFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helpers: decodes media with Debian's ffmpeg into packed RGB frames (the same decoder and pixels the reference
 * tool feeds MediaPipe), and finds the models and the MediaPipe reference tool.
 */
final class TestMedia {
    private TestMedia() {}

    record Clip(int width, int height, double fps, List<ByteBuffer> frames) {
        ImageFrame frame(int i) {
            long ts = Math.round(i * 1000.0 / fps);
            return ImageFrame.packed(
                    width, height, PixelFormat.RGB, frames.get(i).duplicate(), ts);
        }
    }

    /** Skips (or in CI fails) when a tool is missing. */
    static void requireTool(String tool, String why) {
        try {
            Process p = new ProcessBuilder(tool, "-version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return;
        } catch (IOException | InterruptedException e) {
            String msg = tool + " is needed " + why + " (apt-get install -y " + tool + ")";
            if (SharedFiles.required()) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    static Clip decode(Path file, int maxFrames) throws IOException, InterruptedException {
        requireTool("ffmpeg", "to decode test media");
        Process probe = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=width,height,r_frame_rate",
                        "-of",
                        "csv=p=0",
                        file.toString())
                .start();
        String[] info = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .trim()
                .split(",");
        probe.waitFor();
        int w = Integer.parseInt(info[0].trim()), h = Integer.parseInt(info[1].trim());
        String[] rate = info[2].trim().split("/");
        double fps = Double.parseDouble(rate[0]) / Double.parseDouble(rate[1]);
        if (!(fps > 0) || Double.isInfinite(fps) || fps > 1000) {
            fps = 30;
        }
        Process ff = new ProcessBuilder(
                        "ffmpeg", "-v", "error", "-i", file.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<ByteBuffer> frames = new ArrayList<>();
        int bytes = w * h * 3;
        try (InputStream in = ff.getInputStream()) {
            while (frames.size() < maxFrames) {
                byte[] buf = in.readNBytes(bytes);
                if (buf.length < bytes) {
                    break;
                }
                ByteBuffer d = ByteBuffer.allocateDirect(bytes);
                d.put(buf).flip();
                frames.add(d);
            }
        }
        ff.destroy();
        ff.waitFor();
        return new Clip(w, h, fps, frames);
    }

    /** The landmark models: {@code -Dkslr.landmarks.modelDir} when set, else the bundled ones. */
    static LandmarkerModels models() {
        return models(ModelPrecision.FP32);
    }

    /** As {@link #models()}, at {@code precision}. */
    static LandmarkerModels models(ModelPrecision precision) {
        String dir = System.getProperty("kslr.landmarks.modelDir");
        LandmarkerModels.Builder b = LandmarkerModels.builder().precision(precision);
        return dir != null && !dir.isEmpty() ? b.modelDirectory(Paths.get(dir)).build() : b.build();
    }

    /** tools/mediapipe-reference with its node_modules installed, or skip (fail in CI). */
    static Path referenceTool() {
        Path dir =
                Paths.get("..", "tools", "mediapipe-reference").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("@mediapipe").resolve("holistic"))) {
            String msg = "MediaPipe reference tool not installed: run `npm ci` in " + dir
                    + " (and apt-get install -y chromium ffmpeg)";
            if (SharedFiles.required()) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        requireTool("node", "to run the MediaPipe reference tool");
        return dir;
    }

    /** Runs the reference tool on {@code inputs}; returns its stderr summary. */
    static String runReference(List<String> args) throws IOException, InterruptedException {
        Path dir = referenceTool();
        List<String> cmd =
                new ArrayList<>(List.of("node", dir.resolve("reference.mjs").toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail("reference tool failed: " + out.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
