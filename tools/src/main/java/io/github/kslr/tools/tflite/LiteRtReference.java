package io.github.kslr.tools.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs .tflite models with LiteRT.js ({@code @litertjs/core}, XNNPACK on WebAssembly) through
 * {@code tools/tflite-ref/run.mjs} in Node: the reference the converted models are checked against.
 *
 * <p>Needs {@code node} on the PATH and {@code npm ci --prefix tools/tflite-ref}. Each {@link #run} starts one Node
 * process for a batch of jobs and works in a fresh temporary folder under {@code workDir}. Not thread-safe.
 */
public final class LiteRtReference {
    /** A model to run on batch-1 NHWC inputs; {@code iterations} > 0 also times that many runs. */
    public record Job(byte[] tflite, List<float[]> inputs, int warmup, int iterations) {}

    /** One output tensor as TFLite gives it. */
    public record Output(String name, int[] shape, float[] values) {}

    /** A job's outputs (TFLite order) and per-iteration times in milliseconds. */
    public record Result(Map<String, Output> outputs, double[] timesMs) {}

    private final Path toolDir;
    private final Path workDir;

    /**
     * @param toolDir the folder holding run.mjs and node_modules (tools/tflite-ref)
     * @param workDir where temporary job folders go
     */
    public LiteRtReference(Path toolDir, Path workDir) {
        this.toolDir = toolDir;
        this.workDir = workDir;
    }

    /** Why this machine cannot run the reference, or null when it can. */
    public static String unavailableReason(Path toolDir) {
        if (!Files.isRegularFile(toolDir.resolve("run.mjs"))) {
            return toolDir.resolve("run.mjs") + " is missing";
        }
        if (!Files.isDirectory(toolDir.resolve("node_modules/@litertjs/core/wasm"))) {
            return "LiteRT.js is not installed: run `npm ci --prefix " + toolDir + "`";
        }
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "`node --version` failed";
            }
        } catch (IOException e) {
            return "node is not on the PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** Runs every job in one Node process. */
    public List<Result> run(List<Job> jobs) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, "litert");
        StringBuilder spec = new StringBuilder("{\"jobs\": [");
        for (int j = 0; j < jobs.size(); j++) {
            Job job = jobs.get(j);
            Path jobDir = dir.resolve("job" + j);
            Files.createDirectories(jobDir);
            Path model = jobDir.resolve("model.tflite");
            Files.write(model, job.tflite());
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < job.inputs().size(); i++) {
                Path f = jobDir.resolve("in" + i + ".f32");
                writeFloats(f, job.inputs().get(i));
                inputs.add(quote(f.toAbsolutePath().toString()));
            }
            spec.append(j > 0 ? ", " : "")
                    .append("{\"model\": ")
                    .append(quote(model.toAbsolutePath().toString()))
                    .append(", \"inputs\": [")
                    .append(String.join(", ", inputs))
                    .append("], \"outDir\": ")
                    .append(quote(jobDir.resolve("out").toAbsolutePath().toString()))
                    .append(", \"warmup\": ")
                    .append(job.warmup())
                    .append(", \"iterations\": ")
                    .append(job.iterations())
                    .append('}');
        }
        spec.append("]}\n");
        Path specFile = dir.resolve("jobs.json");
        Files.writeString(specFile, spec.toString(), StandardCharsets.UTF_8);
        Path log = dir.resolve("node.log");
        Process p = new ProcessBuilder(
                        "node",
                        toolDir.resolve("run.mjs").toAbsolutePath().toString(),
                        specFile.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("LiteRT.js reference timed out; log: " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException("LiteRT.js reference failed (exit " + p.exitValue() + "):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        List<Result> results = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            results.add(readResult(dir.resolve("job" + j).resolve("out")));
        }
        deleteTree(dir);
        return results;
    }

    private static Result readResult(Path out) throws IOException {
        Map<String, Output> outputs = new LinkedHashMap<>();
        List<Double> times = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("result.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (f[0].equals("output")) {
                int[] shape = Arrays.stream(f[2].split(","))
                        .mapToInt(Integer::parseInt)
                        .toArray();
                outputs.put(f[1], new Output(f[1], shape, readFloats(Path.of(f[3]))));
            } else if (f[0].equals("time")) {
                times.add(Double.parseDouble(f[1]));
            }
        }
        return new Result(
                outputs, times.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static void writeFloats(Path f, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(f, b.array());
    }

    static float[] readFloats(Path f) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
