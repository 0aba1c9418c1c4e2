package io.github.kslr.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.kslr.api.testing.SharedFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * pose-format's own JavaScript parser (npm {@code pose-format} 1.6.2 in {@code tools/pose-format-check}, run by its
 * {@code read-pose.mjs}) as the reference for {@link PoseFile}: what it reads from a file, and a comparison of that
 * with what KSLR reads. Skips with a message when node or the npm project is missing (run
 * {@code tools/install-test-deps.sh}); fails instead under {@code -Dkslr.requireShared=true} (CI).
 */
final class NpmPoseFormat {
    static final Path PROJECT =
            Path.of("..", "tools", "pose-format-check").toAbsolutePath().normalize();

    /** What pose-format's parser read. */
    record Parsed(
            double version,
            int width,
            int height,
            int depth,
            List<PoseFile.Component> components,
            double fps,
            List<List<float[]>> frames) {}

    private NpmPoseFormat() {}

    private static void require(boolean present, String what) {
        if (!present) {
            String msg = "needs " + what + "; it is missing";
            if (SharedFiles.required()) {
                fail(msg + " and -Dkslr.requireShared=true");
            }
            Assumptions.abort(msg + ", skipping");
        }
    }

    private static Path node() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, "node");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Runs read-pose.mjs on the file and parses what it prints. */
    static Parsed read(Path pose) throws IOException, InterruptedException {
        Path node = node();
        require(node != null, "node on the PATH (run tools/install-test-deps.sh)");
        require(
                Files.isDirectory(PROJECT.resolve("node_modules/pose-format")),
                PROJECT.resolve("node_modules/pose-format") + " (run tools/install-test-deps.sh: npm ci in "
                        + "tools/pose-format-check)");
        Path outFile = Files.createTempFile("read-pose", ".txt");
        try {
            Process p = new ProcessBuilder(
                            node.toString(),
                            "read-pose.mjs",
                            pose.toAbsolutePath().toString())
                    .directory(PROJECT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(outFile.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("read-pose.mjs ran for more than 120 s");
            }
            List<String> lines = Files.readAllLines(outFile, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail("node read-pose.mjs " + pose + " exited with " + p.exitValue() + ":\n"
                        + String.join("\n", lines.subList(0, Math.min(40, lines.size()))));
            }
            return parse(lines);
        } finally {
            Files.deleteIfExists(outFile);
        }
    }

    private static Parsed parse(List<String> lines) {
        double version = 0;
        double fps = 0;
        int[] dims = new int[3];
        List<PoseFile.Component> components = new ArrayList<>();
        List<List<float[]>> frames = new ArrayList<>();
        String name = null;
        String format = null;
        List<String> points = new ArrayList<>();
        List<PoseFile.Limb> limbs = new ArrayList<>();
        List<PoseFile.Color> colors = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "version":
                    version = Double.parseDouble(f[1]);
                    break;
                case "dimensions":
                    dims = new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])};
                    break;
                case "component":
                case "body":
                    if (name != null) {
                        components.add(new PoseFile.Component(name, format, points, limbs, colors));
                        points = new ArrayList<>();
                        limbs = new ArrayList<>();
                        colors = new ArrayList<>();
                        name = null;
                    }
                    if (f[0].equals("component")) {
                        name = f[1];
                        format = f[2];
                    } else {
                        fps = Double.parseDouble(f[1]);
                    }
                    break;
                case "point":
                    points.add(f[1]);
                    break;
                case "limb":
                    limbs.add(new PoseFile.Limb(Integer.parseInt(f[1]), Integer.parseInt(f[2])));
                    break;
                case "color":
                    colors.add(
                            new PoseFile.Color(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                    break;
                case "frame":
                    frames.add(new ArrayList<>());
                    break;
                case "person":
                    String[] v = f[2].isEmpty() ? new String[0] : f[2].split(" ");
                    float[] values = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        values[i] = (float) Double.parseDouble(v[i]);
                    }
                    frames.get(frames.size() - 1).add(values);
                    break;
                default:
                    fail("read-pose.mjs printed an unexpected line: " + line);
            }
        }
        return new Parsed(version, dims[0], dims[1], dims[2], components, fps, frames);
    }

    /** Asserts that KSLR read the same header and every value (exactly: both read the same float32) as npm did. */
    static void assertSame(Parsed expected, PoseFile actual) {
        assertEquals((float) expected.version(), actual.version(), "version");
        assertEquals(expected.width(), actual.width(), "width");
        assertEquals(expected.height(), actual.height(), "height");
        assertEquals(expected.depth(), actual.depth(), "depth");
        assertEquals(expected.components(), actual.components(), "components");
        assertEquals((float) expected.fps(), actual.fps(), "fps");
        assertEquals(expected.frames().size(), actual.frameCount(), "frames");
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int f = 0; f < actual.frameCount(); f++) {
            List<float[]> people = expected.frames().get(f);
            assertTrue(people.size() <= actual.peopleCount(), "people of frame " + f);
            for (int p = 0; p < actual.peopleCount(); p++) {
                float[] values = p < people.size() ? people.get(p) : null;
                int k = 0;
                int point = 0;
                for (PoseFile.Component c : actual.components()) {
                    for (int i = 0; i < c.points().size(); i++, point++) {
                        for (int d = 0; d < c.format().length(); d++) {
                            float got = c.format().charAt(d) == 'C'
                                    ? actual.confidence(f, p, point)
                                    : actual.value(f, p, point, d);
                            // A person npm did not see in this frame (version 0 pads frames) reads as zeros.
                            float want = values == null ? 0f : values[k++];
                            if (Float.floatToIntBits(got) != Float.floatToIntBits(want)
                                    && !(Float.isNaN(got) && Float.isNaN(want))) {
                                if (mismatches++ == 0) {
                                    first.append("frame ")
                                            .append(f)
                                            .append(" person ")
                                            .append(p)
                                            .append(' ')
                                            .append(c.name())
                                            .append(" point ")
                                            .append(i)
                                            .append(' ')
                                            .append(c.format().charAt(d))
                                            .append(": npm ")
                                            .append(want)
                                            .append(", KSLR ")
                                            .append(got);
                                }
                            }
                        }
                    }
                }
                if (values != null) {
                    assertEquals(values.length, k, "values of frame " + f + " person " + p);
                }
            }
        }
        assertEquals(0, mismatches, mismatches + " values differ from npm pose-format's; first: " + first);
    }
}
