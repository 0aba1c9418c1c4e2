package io.github.kslr.benchmarks;

import ai.onnxruntime.OrtEnvironment;
import io.github.kslr.api.AtomicFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One command for choosing hardware: runs the suite's headline benchmarks on this machine (one JMH fork each, with
 * the same benchmark code as README's tables) and prints a Markdown report: the machine, ONNX Runtime's version and
 * provider, then per-sample latency and throughput of the classifier, the landmarker (one stream and several) and
 * speech.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.kslr.benchmarks.HardwareReport
 *      [--device cpu|cuda|cuda:N] [--threads N] [--streams N] [--quick] [--shared DIR] [--video FILE]
 *      [--out REPORT.md]
 * </pre>
 *
 * <ul>
 *   <li>{@code --threads}: ONNX Runtime threads of the classifier and of speech (default: every core); the
 *       classifier's latency row (batch 1) runs with 1 thread and with these and names the faster, the landmarker's
 *       one-stream row runs with 1 and 2 threads a model, its several-stream row with its default of 1;</li>
 *   <li>{@code --streams}: landmarker streams run at once, one thread each (default: every core, at least 2);</li>
 *   <li>{@code --quick}: 1 warm-up and 2 measured iterations of 1 s instead of 3 and 5 (wider error bars);</li>
 *   <li>{@code --shared}: the reference data folder with the clip and the voice fixture (default {@code ../shared});
 *       rows whose data is missing say so instead of a number;</li>
 *   <li>{@code --video}: the landmarker's clip (default {@code test_video.mp4} in the shared folder).</li>
 * </ul>
 */
@Command(
        name = "HardwareReport",
        mixinStandardHelpOptions = true,
        description = "Runs the suite's headline benchmarks on this machine and prints a Markdown report.")
public final class HardwareReport implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default ${DEFAULT-VALUE})")
    String device;

    @Option(
            names = "--threads",
            description = "ONNX Runtime threads of the classifier and speech (default: every core)")
    Integer threads;

    @Option(
            names = "--streams",
            description = "landmarker streams at once, a thread each (default: every core, at" + " least 2)")
    Integer streams;

    @Option(
            names = "--quick",
            description = "1 warm-up and 2 measured iterations instead of " + SuiteMeasurement.WARMUP_ITERATIONS
                    + " and " + SuiteMeasurement.MEASUREMENT_ITERATIONS)
    boolean quick;

    @Option(
            names = "--shared",
            defaultValue = "../shared",
            description = "the reference data folder (default" + " ${DEFAULT-VALUE})")
    Path shared;

    @Option(names = "--video", description = "the landmarker's clip (default: test_video.mp4 in the shared folder)")
    String video;

    @Option(names = "--out", paramLabel = "REPORT.md", description = "also write the report to this file")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final List<String> rows = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new HardwareReport()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        threads = threads != null ? threads : cores;
        streams = streams != null ? streams : Math.max(2, cores);
        if (threads < 1 || streams < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads and --streams must be >= 1");
        }
        shared = shared.toAbsolutePath();
        video = video != null
                ? video
                : shared.resolve("media/signing/test_video.mp4").toString();
        String markdown = run();
        System.out.println();
        System.out.print(markdown);
        if (out != null) {
            AtomicFiles.write(out, markdown.getBytes(StandardCharsets.UTF_8));
            System.out.println("written to " + out);
        }
        return 0;
    }

    private String run() {
        String dev = device;
        String t = Integer.toString(threads);

        // One window is too small a job to share: more threads can cost more in hand-offs than they save. Both are
        // measured and the row says which was faster.
        String[] latencyThreads = threads == 1 ? new String[] {"1"} : new String[] {"1", t};
        Run latency = jmh(
                "SignClassifierBenchmark.latency",
                o -> o.param("batchSize", "1").param("provider", dev).param("intraOpThreads", latencyThreads));
        row(
                "`SignClassifierBenchmark.latency`, reports-sized LSTM",
                "batch 1, " + String.join(" / ", latencyThreads) + " thread(s)",
                latency,
                r -> String.format(
                        Locale.ROOT,
                        "p50 %.1f µs, p99 %.1f µs",
                        r.getPrimaryResult().getStatistics().getPercentile(50),
                        r.getPrimaryResult().getStatistics().getPercentile(99)),
                r -> r.getPrimaryResult().getStatistics().getPercentile(50),
                "intraOpThreads",
                " thread(s)");
        Run throughput = jmh(
                "SignClassifierBenchmark.throughput",
                o -> o.param("batchSize", "64", "512").param("provider", dev).param("intraOpThreads", t));
        row(
                "`SignClassifierBenchmark.throughput`",
                "batch 64 / 512, " + threads + " thread(s)",
                throughput,
                secondary("windows", "%,.0f windows/s"));

        Run frame = jmh(
                "LandmarkerBenchmark.videoFrame",
                o -> o.param("video", video)
                        .param("device", dev)
                        .param("palm", "true")
                        .param("threads", "1", "2"));
        row(
                "`LandmarkerBenchmark.videoFrame`, Holistic in video mode on "
                        + Paths.get(video).getFileName(),
                "1 stream, palm fallback on; 1 / 2 ONNX Runtime threads a model",
                frame,
                r -> String.format(
                        Locale.ROOT,
                        "%.1f%s ms a frame = %.1f frames/s",
                        r.getPrimaryResult().getScore(),
                        plusMinus(r.getPrimaryResult().getScoreError()),
                        1000 / r.getPrimaryResult().getScore()));
        Run many = jmh(
                "LandmarkerStreamsBenchmark.frame",
                o -> o.param("video", video)
                        .param("device", dev)
                        .mode(Mode.Throughput)
                        .threads(streams));
        row(
                "`LandmarkerStreamsBenchmark`, one landmarker a stream over shared models",
                streams + " streams",
                many,
                primary("%.1f frames/s in all"));

        Function<ChainedOptionsBuilder, ChainedOptionsBuilder> speechOptions = o -> o.param("provider", dev)
                .param("intraOpThreads", t)
                .warmupTime(TimeValue.seconds(KhmerSpeechBenchmark.WARMUP_SECONDS));
        row(
                "`KhmerSpeechBenchmark.realTimeFactor`, full MMS architecture",
                threads + " thread(s)",
                jmh("KhmerSpeechBenchmark.realTimeFactor", speechOptions),
                secondary("audioSeconds", "real-time factor %.3f"));
        row(
                "`KhmerSpeechBenchmark.firstChunk`",
                "two sentences, " + threads + " thread(s)",
                jmh("KhmerSpeechBenchmark.firstChunk", speechOptions),
                primary("%.0f ms until the first sentence's audio"));
        return render();
    }

    /** The results of one JMH run, or why it gave none. */
    private record Run(Collection<RunResult> results, String failure) {}

    /** One JMH run of the benchmarks matching {@code name}. */
    private Run jmh(String name, Function<ChainedOptionsBuilder, ChainedOptionsBuilder> options) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("io\\.github\\.kslr\\.benchmarks\\." + name.replace(".", "\\.") + "$")
                .forks(SuiteMeasurement.FORKS)
                .warmupIterations(quick ? 1 : SuiteMeasurement.WARMUP_ITERATIONS)
                .measurementIterations(quick ? 2 : SuiteMeasurement.MEASUREMENT_ITERATIONS)
                .warmupTime(TimeValue.seconds(SuiteMeasurement.ITERATION_SECONDS))
                .measurementTime(TimeValue.seconds(SuiteMeasurement.ITERATION_SECONDS))
                .jvmArgsAppend("-Dkslr.sharedDir=" + shared)
                .shouldFailOnError(true);
        try {
            Collection<RunResult> results = new Runner(options.apply(o).build()).run();
            return new Run(results, results.isEmpty() ? "no benchmark matched " + name : null);
        } catch (RunnerException e) {
            // JMH's message names the benchmark; the fork's own error (e.g. missing data) is in its output above.
            return new Run(List.of(), rootCause(e) + " (details in the output above)");
        }
    }

    /** The first line of the innermost message (JMH wraps the fork's exception, e.g. missing data, in its own). */
    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (true) {
            Throwable next =
                    t.getCause() != null ? t.getCause() : t.getSuppressed().length > 0 ? t.getSuppressed()[0] : null;
            if (next == null || next == t) {
                break;
            }
            t = next;
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private void row(String what, String setting, Run run, Function<RunResult, String> fmt) {
        row(what, setting, run, fmt, null, null, null);
    }

    /**
     * A row of one result per setting; with {@code cost} (lower is better) and the JMH parameter that varies, it
     * ends by naming the best setting, e.g. "best: 1 thread(s)".
     */
    private void row(
            String what,
            String setting,
            Run run,
            Function<RunResult, String> fmt,
            java.util.function.ToDoubleFunction<RunResult> cost,
            String param,
            String unit) {
        if (run.failure() != null) {
            rows.add("| " + what + " | " + setting + " | not run: "
                    + run.failure().replace("|", "/") + " |");
            return;
        }
        List<String> values = new ArrayList<>();
        RunResult best = null;
        for (RunResult r : run.results()) {
            values.add(fmt.apply(r));
            if (cost != null && (best == null || cost.applyAsDouble(r) < cost.applyAsDouble(best))) {
                best = r;
            }
        }
        String bestNote = best != null && run.results().size() > 1
                ? " (best: " + best.getParams().getParam(param) + unit + ")"
                : "";
        rows.add("| " + what + " | " + setting + " | " + String.join(" / ", values) + bestNote + " |");
    }

    private String render() {
        StringBuilder b = new StringBuilder();
        b.append("# KSLR benchmark report\n\n");
        b.append("- machine: ")
                .append(cpuModel())
                .append(", ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores available, ")
                .append(memoryGiB())
                .append(" GiB memory; ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append('\n');
        b.append("- Java: ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.version"))
                .append('\n');
        b.append("- ONNX Runtime ")
                .append(ortVersion())
                .append(", providers available: ")
                .append(OrtEnvironment.getAvailableProviders())
                .append("; this run: ")
                .append(device)
                .append('\n');
        b.append("- JMH: ")
                .append(SuiteMeasurement.FORKS)
                .append(" fork, ")
                .append(
                        quick
                                ? "1 warm-up and 2 measured"
                                : SuiteMeasurement.WARMUP_ITERATIONS + " warm-up and "
                                        + SuiteMeasurement.MEASUREMENT_ITERATIONS + " measured")
                .append(" iterations of ")
                .append(SuiteMeasurement.ITERATION_SECONDS)
                .append(" s (speech: ")
                .append(KhmerSpeechBenchmark.WARMUP_SECONDS)
                .append(" s warm-ups)\n");
        b.append("- command: `java -cp benchmarks/target/benchmarks.jar ")
                .append(getClass().getName())
                .append(" --device ")
                .append(device)
                .append(" --threads ")
                .append(threads)
                .append(" --streams ")
                .append(streams)
                .append(quick ? " --quick" : "")
                .append(" --video ")
                .append(video)
                .append("`\n\n");
        b.append("| what | setting | result |\n| --- | --- | --- |\n");
        rows.forEach(r -> b.append(r).append('\n'));
        return b.toString();
    }

    /** The primary score through {@code format} (one number). */
    private static Function<RunResult, String> primary(String format) {
        return r -> String.format(Locale.ROOT, format, r.getPrimaryResult().getScore());
    }

    /** The secondary result {@code name} (a JMH auxiliary counter) through {@code format} (one number). */
    private static Function<RunResult, String> secondary(String name, String format) {
        return r -> String.format(
                Locale.ROOT, format, r.getSecondaryResults().get(name).getScore());
    }

    /** " ± e", or nothing when JMH gives no error (fewer than 3 iterations). */
    private static String plusMinus(double error) {
        return Double.isFinite(error) ? String.format(Locale.ROOT, " ± %.1f", error) : "";
    }

    private static String ortVersion() {
        try {
            return OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "(version unknown: " + e.getMessage() + ")";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch") + " CPU";
    }

    private static String memoryGiB() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(Locale.ROOT, "%.1f", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return "?";
    }
}
