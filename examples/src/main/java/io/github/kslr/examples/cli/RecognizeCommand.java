package io.github.kslr.examples.cli;

import com.google.gson.stream.JsonWriter;
import io.github.kslr.api.AudioClip;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.LiveStream;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignLabel;
import io.github.kslr.api.SignModelMetadata;
import io.github.kslr.data.HolisticPose;
import io.github.kslr.data.PoseFile;
import io.github.kslr.examples.media.AnnotatedVideo;
import io.github.kslr.examples.pipeline.FrameResult;
import io.github.kslr.examples.pipeline.RecognitionSession;
import io.github.kslr.examples.pipeline.SdkModels;
import io.github.kslr.video.VideoFrames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kslr recognize INPUT}: runs the whole pipeline (landmarks, windows, sign model, sentence rules) over a video
 * file, an image or a camera and prints each recognised sign and the final Khmer sentence; {@code --json} prints one
 * JSON object instead; with {@code --voice} and {@code --speak} the sentence is also written as speech.
 *
 * <p><b>Thread-safety.</b> A picocli command object: configured and run once, on one thread (live input is processed
 * on its {@code LiveStream}'s thread, read back after the stream is idle). It owns the models and the input it opens
 * and closes them on return.
 */
@Command(
        name = "recognize",
        mixinStandardHelpOptions = true,
        description = {
            "Recognises signs in a video file, an image or a camera (camera:N) and prints each sign and"
                    + " the final Khmer sentence.",
            "Progress goes to standard error; results to standard output (one JSON object with --json)."
        })
public final class RecognizeCommand extends CommandBase {

    @Parameters(
            index = "0",
            paramLabel = "INPUT",
            description = "a video file, an image file, camera:N, or a .pose file of landmarks (pose-format)")
    String input;

    @CommandLine.Mixin
    RecognitionOptions recognition;

    @CommandLine.Mixin
    MediaInputOptions media = new MediaInputOptions();

    @CommandLine.Mixin
    AnnotateOptions annotation = new AnnotateOptions();

    @Option(
            names = "--windows",
            description = "also print every classified window's prediction (label,"
                    + " confidence), not only the signs the sentence rules accepted")
    boolean windows;

    @Option(names = "--speak", paramLabel = "OUT.wav", description = "write the sentence as speech (needs --voice)")
    Path speak;

    @Option(names = "--json", description = "print one JSON object (signs, sentence, counts) instead of text")
    boolean json;

    @Option(
            names = "--live",
            negatable = true,
            description = "hand frames to the recognizer as a live stream: reading never waits for the models, and a"
                    + " frame that arrives while another is processed replaces the one waiting (dropped); a file is"
                    + " played at its own pace (default: on for a camera, off for a file)")
    Boolean live;

    @Option(
            names = "--max-frames",
            defaultValue = "0",
            description = "stop after this many frames; 0 = the whole input (a camera runs until Ctrl-C, which still"
                    + " prints the results so far)")
    int maxFrames;

    /** One sign the sentence rules accepted, or (with --windows) one classified window. */
    private record Hit(long frame, long timestampMs, Prediction prediction) {}

    @Override
    public Integer call() throws IOException {
        if ((recognition.voice == null) != (speak == null)) {
            throw usageError("--voice and --speak go together: --voice VOICE.onnx --speak OUT.wav");
        }
        if (maxFrames < 0) {
            throw usageError("--max-frames must be >= 0, was " + maxFrames);
        }
        PrintWriter out = out();
        PrintWriter err = err();
        DistinctFiles.require(spec, "--speak", speak, "INPUT", input);
        DistinctFiles.require(spec, "--annotate", annotation.annotate, "INPUT", input);
        DistinctFiles.require(spec, "--annotate", annotation.annotate, "--speak", speak);
        boolean camera = input.startsWith("camera:"); // what VideoFrames opens as a live source
        if (annotation.annotate != null && (live != null ? live : camera)) {
            throw usageError("--annotate draws every frame, and a live stream drops frames: add --no-live"
                    + (camera ? " (the camera's frames then wait for the models)" : ""));
        }
        long started = System.nanoTime();
        if (input.toLowerCase(Locale.ROOT).endsWith(".pose")) {
            if (annotation.annotate != null) {
                throw usageError("--annotate draws on the input video; a .pose file holds none");
            }
            return recognizePose(started, out, err);
        }
        // The input first: a wrong path fails at once, before the models load.
        try (VideoFrames frames = media.open(input);
                SdkModels models = recognition.load();
                // Only the parts the sign model reads, unless the landmarks are drawn (--annotate): then all.
                RecognitionSession session = models.newSession(annotation.annotate != null)) {
            long loaded = System.nanoTime();
            int total = frames.lengthInFrames();
            // A camera has no end: Ctrl-C stops the loop and the results so far are still printed.
            AtomicBoolean interrupted = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook = new Thread(
                    () -> {
                        interrupted.set(true);
                        try {
                            finished.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "kslr-recognize-stop");
            if (frames.isLive()) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            try {
                boolean liveStream = live != null ? live : frames.isLive();
                Tally tally = new Tally(out, err, total, loaded);
                long[] counts = new long[2];
                annotation.write(spec, frames, 2, video -> {
                    if (video != null && !video.canDrawKhmer()) {
                        err.println("recognize: no Khmer font found, so --annotate's captions show glosses (install"
                                + " a Khmer font, e.g. Debian's fonts-khmeros)");
                        err.flush();
                    }
                    recognize(frames, session, tally, liveStream, interrupted, video, counts);
                });
                String note = maxFrames > 0 && tally.count >= maxFrames ? "" : MediaInputOptions.declaredNote(frames);
                return report(
                        models, tally, counts[1], counts[0], frames.lengthInFrames(), note, started, loaded, out, err);
            } finally {
                finished.countDown();
                if (frames.isLive()) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException exiting) {
                        // the JVM is already shutting down: the hook is running and has been released
                    }
                }
            }
        }
    }

    /**
     * Landmarks from a {@code .pose} file (pose-format, e.g. from a research corpus) instead of a video: the
     * recogniser runs on them as they are, frame by frame at the file's frame rate.
     */
    private int recognizePose(long started, PrintWriter out, PrintWriter err) throws IOException {
        List<HolisticLandmarks> frames = HolisticPose.toHolistic(PoseFile.read(Path.of(input)));
        try (SdkModels models = recognition.load();
                RecognitionSession session = models.newSession(false)) {
            long loaded = System.nanoTime();
            Tally tally = new Tally(out, err, frames.size(), loaded);
            long read = 0;
            for (HolisticLandmarks lm : frames) {
                if (maxFrames > 0 && read >= maxFrames) {
                    break;
                }
                tally.add(session.process(lm), lm.timestampMs());
                read++;
            }
            return report(models, tally, -1, read, frames.size(), "", started, loaded, out, err);
        }
    }

    /** What the processed frames gave so far; filled by one thread at a time (the command's or the live stream's). */
    private final class Tally {
        /** The latest classified window's prediction, for --annotate's caption; null before the first window. */
        Prediction lastWindow;

        final List<Hit> hits = new ArrayList<>();
        final List<Hit> classified = new ArrayList<>();
        final PrintWriter out;
        final PrintWriter err;
        final int total;
        final long loaded;
        long count;
        long withHands;
        long withPose;
        double landmarkMs;
        double recognizeMs;
        final Progress progress;
        String sentence = "";

        Tally(PrintWriter out, PrintWriter err, int total, long loaded) {
            this.out = out;
            this.err = err;
            this.total = total;
            this.loaded = loaded;
            this.progress = new Progress(err, "recognize", "frame", total);
        }

        void add(FrameResult r, long timestampMs) {
            landmarkMs += r.landmarkMs();
            recognizeMs += r.recognizeMs();
            if (r.landmarks().hasAnyHand()) {
                withHands++;
            }
            if (r.landmarks().pose().isPresent()) {
                withPose++;
            }
            if (r.window() != null) {
                lastWindow = r.window();
            }
            if (windows && r.window() != null) {
                classified.add(new Hit(count, timestampMs, r.window()));
                if (!json) {
                    Prediction p = r.window();
                    out.printf(
                            Locale.ROOT,
                            "  window at frame %d: %s %.1f%%%s%n",
                            count,
                            p.label(),
                            100 * p.confidence(),
                            p.recognized() ? "" : " (not recognised)");
                }
            }
            for (Prediction p : r.newSigns()) {
                hits.add(new Hit(count, timestampMs, p));
                if (!json) {
                    out.printf(
                            Locale.ROOT,
                            "frame %d (%.2f s): %s  %s  (%.1f%%)%n",
                            count,
                            timestampMs / 1e3,
                            p.gloss(),
                            p.khmer(),
                            100 * p.confidence());
                    out.flush();
                }
            }
            sentence = r.sentence();
            count++;
            progress.update(count);
        }

        /**
         * --annotate's caption: the sign the model sees in the latest window and the sentence so far; in glosses
         * when no Khmer font was found.
         */
        List<String> caption(boolean khmer) {
            String sign = "";
            if (lastWindow != null) {
                String words = khmer && !lastWindow.khmer().isEmpty()
                        ? lastWindow.gloss() + "  " + lastWindow.khmer()
                        : lastWindow.gloss();
                sign = lastWindow.recognized()
                        ? String.format(Locale.ROOT, "sign: %s (%.0f%%)", words, 100 * lastWindow.confidence())
                        : String.format(
                                Locale.ROOT,
                                "no sign (best guess %s, %.0f%%)",
                                lastWindow.gloss(),
                                100 * lastWindow.confidence());
            }
            String text;
            if (khmer) {
                text = sentence;
            } else {
                StringBuilder glosses = new StringBuilder();
                for (Hit h : hits) {
                    glosses.append(glosses.length() == 0 ? "" : " ")
                            .append(h.prediction().gloss());
                }
                text = glosses.toString();
            }
            return List.of(sign, "sentence: " + (text.isEmpty() ? "(nothing yet)" : text));
        }
    }

    /**
     * Runs the frames through the session into {@code tally}, drawing each onto {@code video} when there is one
     * (never live: a live stream drops frames); {@code counts} gets the frames read and dropped (-1: not live).
     */
    private void recognize(
            VideoFrames frames,
            RecognitionSession session,
            Tally tally,
            boolean liveStream,
            AtomicBoolean interrupted,
            AnnotatedVideo video,
            long[] counts) {
        long read = 0;
        long dropped = -1;
        ImageFrame f;
        if (!liveStream) {
            while (!interrupted.get() && (maxFrames == 0 || read < maxFrames) && (f = frames.next()) != null) {
                FrameResult r = session.process(f);
                tally.add(r, f.timestampMs());
                if (video != null) {
                    video.write(f, r.landmarks(), tally.caption(video.canDrawKhmer()));
                }
                read++;
            }
        } else {
            // Frames go to a LiveStream: reading never waits for the models, and a frame that arrives while another
            // is processed replaces the one waiting (dropped). A file is handed over at its own pace, as a camera
            // delivers.
            frames.paced(true);
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            try (LiveStream<FrameResult> stream = LiveStream.builder(session::process)
                    .onResult((r, frame) -> tally.add(r, frame.timestampMs()))
                    .onError((e, frame) -> failure.compareAndSet(null, e))
                    .threadName("kslr-recognize-live")
                    .build()) {
                while (!interrupted.get()
                        && failure.get() == null
                        && (maxFrames == 0 || read < maxFrames)
                        && (f = frames.next()) != null) {
                    stream.offer(f);
                    read++;
                }
                try {
                    stream.awaitIdle(Duration.ofMinutes(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                dropped = stream.stats().dropped();
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
        }
        counts[0] = read;
        counts[1] = dropped;
    }

    /** The sentence, the counts and (with --speak) the speech, as text or JSON. */
    private int report(
            SdkModels models,
            Tally tally,
            long dropped,
            long read,
            int declared,
            String declaredNote,
            long started,
            long loaded,
            PrintWriter out,
            PrintWriter err)
            throws IOException {
        double seconds = (System.nanoTime() - loaded) / 1e9;
        AudioClip clip = null;
        if (speak != null) {
            clip = speakSentence(models.voice(), tally.sentence, err);
        }
        if (json) {
            writeJson(out, models.signModel(), tally, dropped, declared, seconds, clip);
        } else {
            long count = tally.count;
            out.printf(
                    Locale.ROOT, "sentence: %s%n", tally.sentence.isEmpty() ? "(nothing recognised)" : tally.sentence);
            out.printf(
                    Locale.ROOT,
                    "%d frames%s%s (%d with a pose, %d with hands), %d sign(s); %.1f ms landmarks +"
                            + " %.2f ms recognition a frame; models loaded in %.2f s%n",
                    count,
                    dropped < 0 ? "" : String.format(Locale.ROOT, " of %d read, %d dropped", read, dropped),
                    declaredNote,
                    tally.withPose,
                    tally.withHands,
                    tally.hits.size(),
                    count == 0 ? 0 : tally.landmarkMs / count,
                    count == 0 ? 0 : tally.recognizeMs / count,
                    (loaded - started) / 1e9);
            if (clip != null) {
                out.printf(Locale.ROOT, "wrote %s (%.2f s of speech)%n", speak, clip.durationSeconds());
            }
            if (annotation.annotate != null) {
                out.printf(Locale.ROOT, "wrote %s (landmarks and captions drawn)%n", annotation.annotate);
            }
        }
        out.flush();
        return 0;
    }

    private static void writeHits(JsonWriter w, List<Hit> hits) throws IOException {
        w.beginArray();
        for (Hit h : hits) {
            w.beginObject();
            w.name("frame").value(h.frame());
            w.name("timestampMs").value(h.timestampMs());
            SignLabel s = h.prediction().sign();
            w.name("label").value(s.label());
            w.name("gloss").value(s.gloss());
            w.name("khmer").value(s.khmer());
            w.name("confidence").value(Math.round(h.prediction().confidence() * 1e4) / 1e4);
            w.name("recognized").value(h.prediction().recognized());
            w.endObject();
        }
        w.endArray();
    }

    private AudioClip speakSentence(KhmerSpeech speech, String sentence, PrintWriter err) {
        if (sentence.isBlank()) {
            err.println("recognize: nothing recognised, so no speech was written to " + speak);
            err.flush();
            return null;
        }
        AudioClip clip = speech.synthesize(sentence);
        clip.writeWav(speak);
        return clip;
    }

    private void writeJson(
            PrintWriter out,
            SignModelMetadata meta,
            Tally t,
            long dropped,
            int declared,
            double seconds,
            AudioClip clip)
            throws IOException {
        long frames = t.count;
        JsonWriter w = new JsonWriter(out);
        w.setIndent("  ");
        w.beginObject();
        w.name("input").value(input);
        w.name("model").beginObject();
        w.name("file").value(recognition.model == null ? "(bundled demo model)" : recognition.model.toString());
        w.name("labels").value(meta.labels().size());
        w.name("layout").value(meta.layout().name());
        w.name("sequenceLength").value(meta.sequenceLength());
        if (meta.frameRate() > 0) {
            w.name("frameRate").value(meta.frameRate()); // the training windows' rate, frames resampled to it
        }
        w.endObject();
        w.name("frames").value(frames);
        if (declared > 0) {
            // What the container states: frames may be fewer with --accept-partial or --max-frames.
            w.name("framesDeclared").value(declared);
        }
        if (dropped >= 0) {
            w.name("framesDropped").value(dropped); // live: replaced while another frame was processed
        }
        w.name("framesWithPose").value(t.withPose);
        w.name("framesWithHands").value(t.withHands);
        w.name("signs");
        writeHits(w, t.hits);
        if (windows) {
            w.name("windows");
            writeHits(w, t.classified);
        }
        w.name("sentence").value(t.sentence);
        w.name("timing").beginObject();
        w.name("seconds").value(Math.round(seconds * 1000) / 1000.0);
        w.name("landmarkMsPerFrame").value(frames == 0 ? 0 : Math.round(t.landmarkMs / frames * 100) / 100.0);
        w.name("recognizeMsPerFrame").value(frames == 0 ? 0 : Math.round(t.recognizeMs / frames * 1000) / 1000.0);
        w.endObject();
        w.name("speech");
        if (clip == null) {
            w.nullValue();
        } else {
            w.beginObject()
                    .name("file")
                    .value(speak.toString())
                    .name("seconds")
                    .value(Math.round(clip.durationSeconds() * 1000) / 1000.0)
                    .endObject();
        }
        if (annotation.annotate != null) {
            w.name("annotated").value(annotation.annotate.toString());
        }
        w.endObject();
        w.flush();
        out.println();
    }
}
