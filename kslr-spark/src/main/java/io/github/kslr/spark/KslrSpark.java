package io.github.kslr.spark;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.train.RecordingWindows;
import io.github.kslr.train.SignDataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kslr-spark extract|dataset}: the command line of the runnable jar ({@code java -jar kslr-spark.jar}, Spark in
 * process on {@code local[*]}) and of {@code spark-submit --class io.github.kslr.spark.KslrSpark} (the master
 * spark-submit gives). Spark's web UI stays on (port 4040 on the driver, or the next free one).
 *
 * <p><b>Thread-safety.</b> A command object serves one run.
 */
@Command(
        name = "kslr-spark",
        mixinStandardHelpOptions = true,
        subcommands = {KslrSpark.Extract.class, KslrSpark.Dataset.class},
        description = "Landmark extraction and dataset building for video archives on Apache Spark.")
public final class KslrSpark {

    /** Options both commands take. */
    static final class SparkOptions {
        @Option(
                names = "--master",
                paramLabel = "URL",
                description = "Spark master when spark-submit gave none (default local[*]: Spark in this process)")
        String master;

        /** A session on the master spark-submit set, else on --master, else local[*]. */
        SparkSession session(String appName) {
            SparkSession.Builder b = SparkSession.builder().appName(appName);
            if (!new SparkConf().contains("spark.master")) {
                b = b.master(master != null ? master : "local[*]");
            }
            SparkSession spark = b.getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            return spark;
        }
    }

    /**
     * What both commands share: the Spark options, a session for the job (stopped when the job ends, however it
     * ends) and the job's one summary line on standard output.
     */
    abstract static class SparkCommand implements Callable<Integer> {
        @CommandLine.Mixin
        SparkOptions sparkOptions = new SparkOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** A job on a session; returns its summary line. */
        interface Job {
            String run(SparkSession spark) throws Exception;
        }

        /** Checks the options and returns the job: bad input fails here, before Spark starts. */
        abstract Job job();

        @Override
        public Integer call() throws Exception {
            Job job = job();
            SparkSession spark = sparkOptions.session("kslr-spark " + spec.name());
            try {
                String summary = job.run(spark);
                PrintWriter o = spec.commandLine().getOut();
                o.println(summary);
                o.flush();
                return 0;
            } finally {
                spark.stop();
            }
        }
    }

    @Command(
            name = "extract",
            mixinStandardHelpOptions = true,
            description = {
                "Landmarks of every frame of every video, as kslr landmarks finds them in video mode, into Parquet"
                        + " tables under OUT: frames (one row a frame), videos (one row a video) and failures.",
                "Videos already in OUT are skipped, so a rerun (or a run after a killed one) only does what is"
                        + " missing. The last line is videos=N done=D skipped=S failed=F frames=R."
            })
    static final class Extract extends SparkCommand {
        @Option(
                names = "--input",
                required = true,
                paramLabel = "DIR|GLOB|LIST",
                description = "a folder (its videos, recursively), a glob, a video, or a list file (one path a line)")
        String input;

        @Option(names = "--output", required = true, paramLabel = "OUT", description = "the output folder")
        String output;

        @Option(
                names = "--max-frames",
                defaultValue = "0",
                paramLabel = "N",
                description = "frames a video at most, as kslr landmarks --max-frames; 0 = all (default"
                        + " ${DEFAULT-VALUE})")
        int maxFrames;

        @Option(
                names = "--batch-videos",
                defaultValue = "0",
                paramLabel = "N",
                description = "videos committed together; 0 = four a core (default ${DEFAULT-VALUE})")
        int batchVideos;

        @Option(names = "--no-palm", description = "Holistic's exact behaviour: no palm-detection fallback for hands")
        boolean noPalm;

        @Option(names = "--no-smooth", description = "turn MediaPipe's pose smoothing off")
        boolean noSmooth;

        @Option(
                names = "--threads",
                defaultValue = "1",
                description = "ONNX Runtime threads a model in each task (default ${DEFAULT-VALUE}: one task a core)")
        int threads;

        @Option(
                names = "--device",
                defaultValue = "cpu",
                description = "cpu, cuda or cuda:N (default ${DEFAULT-VALUE})")
        String device;

        @Override
        Job job() {
            LandmarkerSettings settings = new LandmarkerSettings(device, threads, !noPalm, !noSmooth, false);
            return spark -> new ExtractJob(spark, settings, maxFrames, batchVideos, System.err)
                    .run(input, output)
                    .line();
        }
    }

    @Command(
            name = "dataset",
            mixinStandardHelpOptions = true,
            description = {
                "Training windows from extracted landmarks and a labels table (CSV video,start_ms,end_ms,label"
                        + "[,signer]; video paths relative to the CSV's folder), written as kslr train reads them"
                        + " (X.npy, y.npy, session.npy, labels.txt).",
                "Each labelled segment (frames with start_ms <= timestamp < end_ms) is cut as kslr dataset cuts a"
                        + " recording: --frames frames a window, at the video's rate or resampled to --fps, one"
                        + " window (the middle) or every --stride frames; signers become sessions."
            })
    static final class Dataset extends SparkCommand {
        @Option(names = "--landmarks", required = true, paramLabel = "OUT", description = "extract's output folder")
        String landmarks;

        @Option(names = "--labels", required = true, paramLabel = "LABELS.csv", description = "the labels table")
        Path labels;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "the dataset folder to create")
        Path output;

        @Option(names = "--frames", defaultValue = "30", description = "frames a window (default ${DEFAULT-VALUE})")
        int frames;

        @Option(
                names = "--fps",
                defaultValue = "0",
                description = "resample to this rate first; 0 = the video's own frames (default ${DEFAULT-VALUE})")
        double fps;

        @Option(
                names = "--stride",
                defaultValue = "0",
                description = "frames between window starts; 0 = one window a segment (default ${DEFAULT-VALUE})")
        int stride;

        @Option(
                names = "--layout",
                defaultValue = "reports-177",
                paramLabel = "NAME",
                completionCandidates = FeatureLayout.BuiltInNames.class,
                description = "feature layout of the windows' frames: ${COMPLETION-CANDIDATES} or a spec (default"
                        + " ${DEFAULT-VALUE})")
        String layout;

        @Override
        Job job() {
            FeatureLayout featureLayout = FeatureLayout.of(layout);
            RecordingWindows windowing = new RecordingWindows(frames, fps, stride);
            return spark -> {
                SignDataset d = new DatasetJob(spark, featureLayout, windowing).run(labels, landmarks, output);
                return String.format(
                        Locale.ROOT,
                        "%d window(s) of %s, %d features (%s), %d label(s); wrote %s",
                        d.size(),
                        windowing,
                        featureLayout.size(),
                        featureLayout.name(),
                        d.labels().size(),
                        output);
            };
        }
    }

    private KslrSpark() {}

    /** Runs a command; exits with its status (2 for bad input, 1 for other errors). */
    public static void main(String[] args) {
        // Netty reads this once, when its classes load: before Spark starts (java -jar has no -D for it).
        System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        CommandLine cl = new CommandLine(new KslrSpark());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return e instanceof InvalidInputException ? 2 : 1;
        });
        System.exit(run(cl, args));
    }

    static int run(CommandLine cl, String[] args) {
        try {
            return cl.execute(args);
        } catch (KslrException e) {
            cl.getErr().println("error: " + e.getMessage());
            return 1;
        }
    }
}
