package io.github.kslr.benchmarks;

import ai.onnxruntime.OrtEnvironment;
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
import java.util.function.Function;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

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
 *       landmarker keeps its default of one a session and scales with streams instead;</li>
 *   <li>{@code --streams}: landmarker streams run at once, one thread each (default: every core, at least 2);</li>
 *   <li>{@code --quick}: 1 warm-up and 2 measured iterations of 1 s instead of 3 and 5 (wider error bars);</li>
 *   <li>{@code --shared}: the reference data folder with the clip and the voice fixture (default {@code ../shared});
 *       rows whose data is missing say so instead of a number;</li>
 *   <li>{@code --video}: the landmarker's clip (default {@code test_video.mp4} in the shared folder).</li>
 * </ul>
 */
public final class HardwareReport {
    private final String device;
    private final int threads;
    private final int streams;
    private final boolean quick;
    private final Path shared;
    private final String video;
    private final List<String> rows = new ArrayList<>();

    private HardwareReport(String device, int threads, int streams, boolean quick, Path shared, String video) {
        this.device = device;
        this.threads = threads;
        this.streams = streams;
        this.quick = quick;
        this.shared = shared;
        this.video = video != null ? video : shared.resolve("media/signing/test_video.mp4").toString();
    }

    public static void main(String[] args) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        String device = "cpu";
        int threads = cores;
        int streams = Math.max(2, cores);
        boolean quick = false;
        Path shared = Paths.get("../shared");
        Path out = null;
        String video = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--device" -> device = value(args, ++i, a);
                case "--threads" -> threads = positive(value(args, ++i, a), a);
                case "--streams" -> streams = positive(value(args, ++i, a), a);
                case "--quick" -> quick = true;
                case "--shared" -> shared = Paths.get(value(args, ++i, a));
                case "--video" -> video = value(args, ++i, a);
                case "--out" -> out = Paths.get(value(args, ++i, a));
                default -> usage("unknown argument: " + a);
            }
        }
        HardwareReport report = new HardwareReport(device, threads, streams, quick, shared.toAbsolutePath(),
                video);
        String markdown = report.run();
        System.out.println();
        System.out.print(markdown);
        if (out != null) {
            Files.writeString(out, markdown, StandardCharsets.UTF_8);
            System.out.println("written to " + out);
        }
    }

    private String run() {
        String dev = device;
        String t = Integer.toString(threads);

        Run latency = jmh("SignClassifierBenchmark.latency", o -> o.param("batchSize", "1")
                .param("provider", dev).param("intraOpThreads", t));
        row("`SignClassifierBenchmark.latency`, reports-sized LSTM", "batch 1, " + threads + " thread(s)", latency,
                r -> String.format(Locale.ROOT, "p50 %.1f µs, p99 %.1f µs",
                        r.getPrimaryResult().getStatistics().getPercentile(50),
                        r.getPrimaryResult().getStatistics().getPercentile(99)));
        Run throughput = jmh("SignClassifierBenchmark.throughput", o -> o
                .param("batchSize", "64", "512").param("provider", dev).param("intraOpThreads", t));
        row("`SignClassifierBenchmark.throughput`", "batch 64 / 512, " + threads + " thread(s)", throughput,
                r -> String.format(Locale.ROOT, "%,.0f windows/s", r.getSecondaryResults().get("windows").getScore()));

        Run frame = jmh("LandmarkerBenchmark.videoFrame", o -> o.param("video", video)
                .param("device", dev).param("palm", "true").param("threads", "1", "2"));
        row("`LandmarkerBenchmark.videoFrame`, Holistic in video mode on " + Paths.get(video).getFileName(),
                "1 stream, palm fallback on; 1 / 2 ONNX Runtime threads a model",
                frame, r -> String.format(Locale.ROOT, "%.1f%s ms a frame = %.1f frames/s",
                        r.getPrimaryResult().getScore(), plusMinus(r.getPrimaryResult().getScoreError()),
                        1000 / r.getPrimaryResult().getScore()));
        Run many = jmh("LandmarkerStreamsBenchmark.frame", o -> o.param("video", video)
                .param("device", dev).mode(Mode.Throughput).threads(streams));
        row("`LandmarkerStreamsBenchmark`, one landmarker a stream over shared models", streams + " streams",
                many, r -> String.format(Locale.ROOT, "%.1f frames/s in all", r.getPrimaryResult().getScore()));

        Run speech = jmh("KhmerSpeechBenchmark.realTimeFactor", o -> o.param("provider", dev)
                .param("intraOpThreads", t).warmupTime(TimeValue.seconds(2)));
        row("`KhmerSpeechBenchmark.realTimeFactor`, full MMS architecture", threads + " thread(s)", speech,
                r -> String.format(Locale.ROOT, "real-time factor %.3f",
                        r.getSecondaryResults().get("audioSeconds").getScore()));
        Run first = jmh("KhmerSpeechBenchmark.firstChunk", o -> o.param("provider", dev)
                .param("intraOpThreads", t).warmupTime(TimeValue.seconds(2)));
        row("`KhmerSpeechBenchmark.firstChunk`", "two sentences, " + threads + " thread(s)", first,
                r -> String.format(Locale.ROOT, "%.0f ms until the first sentence's audio",
                        r.getPrimaryResult().getScore()));
        return render();
    }

    /** The results of one JMH run, or why it gave none. */
    private record Run(Collection<RunResult> results, String failure) {
    }

    /** One JMH run of the benchmarks matching {@code name}. */
    private Run jmh(String name, Function<ChainedOptionsBuilder, ChainedOptionsBuilder> options) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("io\\.github\\.kslr\\.benchmarks\\." + name.replace(".", "\\.") + "$")
                .forks(1)
                .warmupIterations(quick ? 1 : 3).measurementIterations(quick ? 2 : 5)
                .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1))
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
            Throwable next = t.getCause() != null ? t.getCause()
                    : t.getSuppressed().length > 0 ? t.getSuppressed()[0] : null;
            if (next == null || next == t) {
                break;
            }
            t = next;
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private void row(String what, String setting, Run run, Function<RunResult, String> fmt) {
        if (run.failure() != null) {
            rows.add("| " + what + " | " + setting + " | not run: " + run.failure().replace("|", "/") + " |");
            return;
        }
        List<String> values = new ArrayList<>();
        for (RunResult r : run.results()) {
            values.add(fmt.apply(r));
        }
        rows.add("| " + what + " | " + setting + " | " + String.join(" / ", values) + " |");
    }

    private String render() {
        StringBuilder b = new StringBuilder();
        b.append("# KSLR benchmark report\n\n");
        b.append("- machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores available, ").append(memoryGiB()).append(" GiB memory; ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        b.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append('\n');
        b.append("- ONNX Runtime ").append(ortVersion()).append(", providers available: ")
                .append(OrtEnvironment.getAvailableProviders()).append("; this run: ").append(device).append('\n');
        b.append("- JMH: 1 fork, ").append(quick ? "1 warm-up and 2 measured" : "3 warm-up and 5 measured")
                .append(" iterations of 1 s (speech: 2 s warm-ups)\n");
        b.append("- command: `java -cp benchmarks/target/benchmarks.jar ").append(getClass().getName())
                .append(" --device ").append(device).append(" --threads ").append(threads).append(" --streams ")
                .append(streams).append(quick ? " --quick" : "").append(" --video ").append(video).append("`\n\n");
        b.append("| what | setting | result |\n| --- | --- | --- |\n");
        rows.forEach(r -> b.append(r).append('\n'));
        return b.toString();
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

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String s, String option) {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " needs a whole number > 0, was " + s);
        return 0;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: HardwareReport [--device cpu|cuda|cuda:N] [--threads N] [--streams N] [--quick]"
                + " [--shared DIR] [--video FILE] [--out REPORT.md]");
        System.exit(2);
    }
}
