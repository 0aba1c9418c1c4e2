package io.github.kslr.examples.cli;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.KslrException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.RunningMode;
import io.github.kslr.data.HolisticPose;
import io.github.kslr.data.PoseFile;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.train.CsvTable;
import io.github.kslr.train.RecordingDataset;
import io.github.kslr.train.RecordingDataset.ClipWindows;
import io.github.kslr.train.RecordingWindows;
import io.github.kslr.train.SignDataset;
import io.github.kslr.video.VideoFrames;
import io.github.kslr.video.VideoLandmarks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kslr dataset INPUT --out DIR}: turns labelled sign recordings (video files) into the dataset folder that
 * {@code kslr train} reads, running KSLR's {@link HolisticLandmarker} on every frame and cutting each recording into
 * windows with {@link RecordingWindows}. This is the step between an institution's recordings and its own model.
 */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        description = {
            "Turns labelled sign recordings into a training folder for `kslr train` (X.npy, y.npy,"
                    + " session.npy, labels.txt): landmarks of every frame, then windows of --frames frames.",
            "INPUT is a folder LABEL/CLIP (with --session-folders: SESSION/LABEL/CLIP; clips are files ending in"
                    + " .mp4, .mov, .avi, .mkv, .webm or .m4v, or .pose files of landmarks in pose-format, taken as they"
                    + " are) or a CSV file with the header video,label[,session]"
                    + " (paths relative to the CSV's folder).",
            "Sessions (e.g. one a signer or a recording day) let `kslr train --session N` hold a whole session out for"
                    + " validation; session names that are all whole numbers are used as they are, other names are"
                    + " numbered 1, 2, ... in sorted order. Without sessions every window is session 0.",
            "A window is --frames consecutive frames, at each recording's own rate or resampled to --fps, as a live"
                    + " recognizer sees them: one window a recording (its middle), or with --stride S every window S"
                    + " frames apart; a recording shorter than a window repeats its last frame."
        })
public final class DatasetCommand extends CommandBase {
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "avi", "mkv", "webm", "m4v");

    @CommandLine.Mixin
    LandmarkerOptions landmarkerOptions = new LandmarkerOptions();

    @Parameters(index = "0", paramLabel = "INPUT", description = "a folder of recordings or a CSV list of them")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "the dataset folder to create (must not exist, or be empty)")
    Path out;

    @Option(
            names = "--frames",
            defaultValue = "30",
            description = "frames a window, as the sign model will see them (default ${DEFAULT-VALUE})")
    int frames;

    @Option(
            names = "--fps",
            defaultValue = "0",
            description = "resample every recording to this frame rate first (written to frame_rate.txt, and by"
                    + " kslr train into the model); 0 = each recording's own frames (default ${DEFAULT-VALUE})")
    double fps;

    @Option(
            names = "--stride",
            defaultValue = "0",
            description = "frames between window starts; 0 = one window a recording (default ${DEFAULT-VALUE})")
    int stride;

    @CommandLine.Mixin
    LayoutOptions layoutOptions = new LayoutOptions();

    @Option(
            names = "--jobs",
            defaultValue = "1",
            description = "recordings processed at once, each by its own landmarker over shared models"
                    + " (default ${DEFAULT-VALUE}; up to one per core)")
    int jobs;

    @Option(names = "--session-folders", description = "INPUT is SESSION/LABEL/CLIP instead of LABEL/CLIP")
    boolean sessionFolders;

    /** One recording: its file, label and session name (null without sessions). */
    record Clip(Path video, String label, String session) {}

    @Override
    public Integer call() {
        FeatureLayout featureLayout = layoutOptions.layout();
        if (jobs < 1) {
            throw usageError("--jobs must be >= 1, was " + jobs);
        }
        RecordingWindows windowing;
        try {
            windowing = new RecordingWindows(frames, fps, stride);
        } catch (InvalidInputException e) {
            throw usageError(e.getMessage());
        }
        try {
            SignDataset.checkSaveTarget(out); // before hours of landmark extraction, not after
        } catch (InvalidInputException e) {
            throw usageError("--out: " + e.getMessage());
        }
        List<Clip> clips = Files.isDirectory(input) ? scanFolder(input, sessionFolders) : readCsv(input);
        if (clips.isEmpty()) {
            throw new InvalidInputException("no recordings found in " + input + " (expected "
                    + (sessionFolders ? "SESSION/LABEL/CLIP" : "LABEL/CLIP") + " with clips ending in "
                    + new TreeSet<>(VIDEO_EXTENSIONS) + " or pose, or a CSV video,label[,session])");
        }
        for (Clip c : clips) {
            if (!Files.isRegularFile(c.video())) {
                throw new InvalidInputException("recording " + c.video() + " (label " + c.label()
                        + ") does not exist or is not a file; nothing was written");
            }
        }
        List<String> labels =
                List.copyOf(new TreeSet<>(clips.stream().map(Clip::label).toList()));
        Map<String, Integer> sessions = sessionNumbers(clips);

        PrintWriter o = out();
        int f = featureLayout.size();
        List<ClipWindows> perClip = extractAll(clips, featureLayout, windowing);
        List<RecordingDataset.Recording> recordings = new ArrayList<>();
        int padded = 0;
        long totalFrames = 0;
        for (int i = 0; i < clips.size(); i++) {
            ClipWindows w = perClip.get(i);
            recordings.add(new RecordingDataset.Recording(
                    clips.get(i).label(), clips.get(i).session(), w));
            padded += w.padded() ? 1 : 0;
            totalFrames += w.frames();
        }
        SignDataset dataset = RecordingDataset.assemble(featureLayout, windowing, recordings);
        dataset.save(out);

        o.printf(
                Locale.ROOT,
                "%d recording(s), %d frames -> %d window(s) of %s, %d features (%s)%n",
                clips.size(),
                totalFrames,
                dataset.size(),
                windowing,
                f,
                featureLayout.name());
        if (padded > 0) {
            o.printf(
                    Locale.ROOT, "%d recording(s) shorter than %d frames: their last frame repeated%n", padded, frames);
        }
        int[] counts = dataset.classCounts();
        StringBuilder perLabel = new StringBuilder("windows per label:");
        for (int i = 0; i < labels.size(); i++) {
            perLabel.append(' ').append(labels.get(i)).append('=').append(counts[i]);
        }
        o.println(perLabel);
        if (!sessions.isEmpty()) {
            o.println("sessions: " + sessions);
        }
        o.println("wrote " + out + " (next: kslr train --data " + out + " --out MODEL.onnx --report REPORT_DIR"
                + (sessions.isEmpty() ? "" : " --session N") + ")");
        return 0;
    }

    /**
     * Landmarks and windows of every clip, in clip order, with {@code --jobs} landmarkers over one set of models:
     * the result does not depend on the number of jobs (each clip runs from a fresh tracking state).
     */
    private List<ClipWindows> extractAll(List<Clip> clips, FeatureLayout layout, RecordingWindows windowing) {
        int threads = Math.min(jobs, clips.size());
        BlockingQueue<HolisticLandmarker> idle = new ArrayBlockingQueue<>(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kslr-dataset");
            t.setDaemon(true);
            return t;
        });
        try (LandmarkerModels models = landmarkerOptions.loadModels()) {
            try {
                for (int i = 0; i < threads; i++) {
                    idle.add(landmarkerOptions
                            .landmarker(models)
                            .runningMode(RunningMode.VIDEO)
                            .faceLandmarks(layout.uses(LandmarkPart.FACE))
                            .build());
                }
                List<Future<ClipWindows>> futures = new ArrayList<>();
                for (Clip c : clips) {
                    futures.add(pool.submit(() -> {
                        HolisticLandmarker landmarker = idle.take();
                        try {
                            return extract(landmarker, c, layout, windowing);
                        } finally {
                            idle.add(landmarker);
                        }
                    }));
                }
                List<ClipWindows> out = new ArrayList<>();
                Progress progress = new Progress(err(), "dataset", "recording", clips.size());
                for (Future<ClipWindows> fu : futures) {
                    out.add(fu.get());
                    progress.update(out.size());
                }
                return out;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new KslrException("extracting landmarks failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KslrException("interrupted while extracting landmarks", e);
            } finally {
                pool.shutdownNow();
                try {
                    // Landmarkers in use finish their frame before the models close.
                    pool.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                idle.forEach(HolisticLandmarker::close);
            }
        }
    }

    /** One clip through a landmarker (reset first), then cut into windows. */
    private ClipWindows extract(
            HolisticLandmarker landmarker, Clip c, FeatureLayout layout, RecordingWindows windowing) {
        landmarker.reset();
        int f = layout.size();
        // Only each frame's features are kept, not its landmarks (a face alone is 1,404 floats).
        float[][] features = {new float[64 * f]};
        long[][] timestamps = {new long[64]};
        int[] count = {0};
        java.util.function.Consumer<HolisticLandmarks> keep = lm -> {
            int i = count[0];
            if (i == timestamps[0].length) {
                timestamps[0] = Arrays.copyOf(timestamps[0], 2 * i);
                features[0] = Arrays.copyOf(features[0], 2 * i * f);
            }
            timestamps[0][i] = lm.timestampMs();
            layout.write(lm, features[0], i * f);
            count[0]++;
        };
        if (isPoseFile(c.video())) {
            // Landmarks found elsewhere (pose-format): taken as they are, at the file's frame rate.
            HolisticPose.toHolistic(PoseFile.read(c.video())).forEach(keep);
        } else {
            try (VideoFrames source = landmarkerOptions.openVideo(c.video().toString())) {
                VideoLandmarks.forEachFrame(landmarker, source, 0, (index, frame, lm, nanos) -> {
                    if (Thread.currentThread().isInterrupted()) {
                        // Another recording failed: stop rather than finish a long clip nobody will use.
                        throw new KslrException("cancelled while reading " + c.video());
                    }
                    keep.accept(lm);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e); // the sink above throws none
            }
        }
        int n = count[0];
        if (n == 0) {
            throw new InvalidInputException("recording " + c.video() + " has no frames; nothing was written");
        }
        return RecordingDataset.cut(windowing, layout, timestamps[0], features[0], n);
    }

    /** LABEL/CLIP or SESSION/LABEL/CLIP, sorted; files that are neither videos nor .pose files are ignored. */
    static List<Clip> scanFolder(Path root, boolean sessionFolders) {
        List<Clip> clips = new ArrayList<>();
        for (Path first : sortedChildren(root)) {
            if (!Files.isDirectory(first)) {
                continue;
            }
            if (!sessionFolders) {
                addClips(first, first.getFileName().toString(), null, clips);
                continue;
            }
            for (Path label : sortedChildren(first)) {
                if (Files.isDirectory(label)) {
                    addClips(
                            label,
                            label.getFileName().toString(),
                            first.getFileName().toString(),
                            clips);
                }
            }
        }
        return clips;
    }

    private static void addClips(Path labelDir, String label, String session, List<Clip> clips) {
        for (Path p : sortedChildren(labelDir)) {
            if (isVideoFile(p) || isPoseFile(p)) {
                clips.add(new Clip(p, label, session));
            }
        }
    }

    /** Whether {@code p} is a regular file named {@code *.pose} (landmarks in pose-format). */
    static boolean isPoseFile(Path p) {
        return Files.isRegularFile(p)
                && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pose");
    }

    /** Whether {@code p} is a regular file with one of {@link #VIDEO_EXTENSIONS}. */
    static boolean isVideoFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return Files.isRegularFile(p) && dot > 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1));
    }

    static List<Path> sortedChildren(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** A CSV (RFC 4180: quoted fields may hold commas) with the header video,label[,session]. */
    static List<Clip> readCsv(Path csv) {
        CsvTable table = CsvTable.read(
                csv,
                "INPUT " + csv + " is neither a folder nor a CSV file",
                List.of(List.of("video", "label"), List.of("video", "label", "session")),
                "video,label or video,label,session");
        boolean withSession = table.header().size() == 3;
        Path base = csv.toAbsolutePath().getParent();
        List<Clip> clips = new ArrayList<>();
        for (CsvTable.Row r : table.rows()) {
            for (int k = 0; k < r.cells().size(); k++) {
                if (r.get(k).isEmpty()) {
                    throw new InvalidInputException(csv + ": line " + r.line() + " has an empty column " + (k + 1));
                }
            }
            clips.add(new Clip(base.resolve(r.get(0)), r.get(1), withSession ? r.get(2) : null));
        }
        return clips;
    }

    /** Session name -> number, as {@link RecordingDataset#sessionNumbers} numbers them. */
    static Map<String, Integer> sessionNumbers(List<Clip> clips) {
        return RecordingDataset.sessionNumbers(clips.stream().map(Clip::session).toList());
    }
}
