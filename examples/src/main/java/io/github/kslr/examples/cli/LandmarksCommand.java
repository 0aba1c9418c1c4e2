package io.github.kslr.examples.cli;

import com.google.gson.stream.JsonWriter;
import io.github.kslr.api.AtomicFiles;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.RunningMode;
import io.github.kslr.data.HolisticPose;
import io.github.kslr.data.Npy;
import io.github.kslr.data.NpyArray;
import io.github.kslr.examples.media.AnnotatedVideo;
import io.github.kslr.examples.pipeline.LandmarkJson;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.video.VideoFrames;
import io.github.kslr.video.VideoLandmarks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kslr landmarks INPUT --out OUT.json|OUT.pose [--npy OUT.npy --layout NAME]}: MediaPipe-Holistic landmarks of
 * every frame of a video or image with KSLR's {@link HolisticLandmarker}, as JSON (the format the MediaPipe reference
 * tool in {@code tools/mediapipe-reference} also writes) or, for an {@code --out} ending in {@code .pose}, as
 * pose-format's {@code .pose} ({@link HolisticPose}), optionally as a feature matrix and as the input video with the
 * landmarks drawn ({@code --annotate}).
 */
@Command(
        name = "landmarks",
        mixinStandardHelpOptions = true,
        description = {
            "Extracts pose, hand and face landmarks from a video or image file (or camera:N) and writes"
                    + " them as JSON: an array with one object a frame: {\"frame\", \"timestampMs\", \"width\", \"height\","
                    + " \"pose\": [[x,y,z,visibility] x33] | null, \"leftHand\"/\"rightHand\": [[x,y,z] x21] | null,"
                    + " \"face\": [[x,y,z] x468] | null}, x and y normalised to [0,1].",
            "An --out ending in .pose writes pose-format's .pose (version 0.2) instead: components POSE_LANDMARKS,"
                    + " FACE_LANDMARKS, LEFT_HAND_LANDMARKS, RIGHT_HAND_LANDMARKS, POSE_WORLD_LANDMARKS as pose-format"
                    + " names MediaPipe Holistic's, x and y in pixels, confidence = pose visibility or part presence.",
            "Images run in image mode (no tracking), videos in video mode (tracking, pose smoothing)."
        })
public final class LandmarksCommand extends CommandBase {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp");

    @CommandLine.Mixin
    LandmarkerOptions landmarkerOptions = new LandmarkerOptions();

    @CommandLine.Mixin
    AnnotateOptions annotation = new AnnotateOptions();

    @Parameters(index = "0", paramLabel = "INPUT", description = "a video file, an image file or camera:N")
    String input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "OUT.json|OUT.pose",
            description = "the landmarks file to write: JSON, or pose-format's .pose when the name ends in .pose")
    Path out;

    @Option(
            names = "--npy",
            paramLabel = "OUT.npy",
            description = "also write the frames' features (in --layout's layout) as a float32 [frames, features] .npy")
    Path npy;

    @CommandLine.Mixin
    LayoutOptions layoutOptions = new LayoutOptions();

    @Option(
            names = "--mode",
            paramLabel = "image|video",
            description = "running mode (default: image for image files, video otherwise)")
    String mode;

    @Option(names = "--no-smooth", description = "turn MediaPipe's pose smoothing off in video mode")
    boolean noSmooth;

    @Option(
            names = "--max-frames",
            defaultValue = "0",
            paramLabel = "N",
            description = "stop after N frames; 0 = all (default ${DEFAULT-VALUE})")
    int maxFrames;

    @Override
    public Integer call() throws IOException {
        if (maxFrames < 0) {
            throw usageError("--max-frames must be >= 0, was " + maxFrames);
        }
        DistinctFiles.require(spec, "--out", out, "INPUT", input);
        DistinctFiles.require(spec, "--npy", npy, "INPUT", input);
        DistinctFiles.require(spec, "--npy", npy, "--out", out);
        DistinctFiles.require(spec, "--annotate", annotation.annotate, "INPUT", input);
        DistinctFiles.require(spec, "--annotate", annotation.annotate, "--out", out);
        DistinctFiles.require(spec, "--annotate", annotation.annotate, "--npy", npy);
        FeatureLayout featureLayout = layoutOptions.layout();
        RunningMode runningMode = runningMode();
        PrintWriter o = out();
        try (LandmarkerModels models = landmarkerOptions.loadModels();
                HolisticLandmarker landmarker = landmarkerOptions
                        .landmarker(models)
                        .runningMode(runningMode)
                        .smoothLandmarks(!noSmooth)
                        .build();
                VideoFrames source = landmarkerOptions.openVideo(input)) {
            // The annotated video, when asked for, is written while the frames are read and appears after the
            // landmarks file, complete or not at all.
            annotation.write(spec, source, 0, video -> {
                this.video = video;
                if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pose")) {
                    List<HolisticLandmarks> all = new ArrayList<>();
                    runFrames(landmarker, source, featureLayout, all::add);
                    if (all.isEmpty()) {
                        throw usageError("no frame was decoded from " + input + "; a .pose needs at least one");
                    }
                    // pose-format keeps a frame rate, not timestamps; an image (no rate) is one frame at 1 fps.
                    double rate = source.frameRate();
                    HolisticPose.toPose(all, rate > 0 ? (float) rate : 1f).write(out);
                } else {
                    // The JSON appears complete or not at all, even when decoding fails halfway.
                    AtomicFiles.write(out, stream -> writeFrames(landmarker, source, featureLayout, stream));
                }
            });
            partialNote = maxFrames > 0 && frames >= maxFrames ? "" : MediaInputOptions.declaredNote(source);
        }
        if (npy != null) {
            Npy.write(
                    npy,
                    NpyArray.ofFloats(
                            Arrays.copyOf(features, frames * featureLayout.size()), frames, featureLayout.size()));
        }
        double ms = frames == 0 ? 0 : detectNanos / 1e6 / frames;
        o.printf(
                Locale.ROOT,
                "%d frame(s)%s in %s mode; found pose %d, left hand %d, right hand %d, face %d; %.1f"
                        + " ms a frame (%.1f frames/s)%n",
                frames,
                partialNote,
                runningMode.name().toLowerCase(Locale.ROOT),
                found[0],
                found[1],
                found[2],
                found[3],
                ms,
                ms > 0 ? 1000 / ms : 0);
        o.printf(
                Locale.ROOT,
                "wrote %s%s%s%n",
                out,
                npy != null
                        ? " and " + npy + " [" + frames + ", " + featureLayout.size() + "] (" + featureLayout.name()
                                + ")"
                        : "",
                annotation.annotate != null ? " and " + annotation.annotate + " (landmarks drawn)" : "");
        return 0;
    }

    // What writeFrames found, for the summary and the feature matrix.
    private int frames;
    private String partialNote = "";
    private final int[] found = new int[4];
    private long detectNanos;
    private float[] features = new float[0];
    /** The annotated video being written, or null. */
    private AnnotatedVideo video;

    /** Takes each frame's landmarks in turn. */
    private interface FrameSink {
        void accept(HolisticLandmarks landmarks) throws IOException;
    }

    /** Runs the landmarker over the source, writing one JSON object a frame to {@code stream}. */
    private void writeFrames(
            HolisticLandmarker landmarker, VideoFrames source, FeatureLayout featureLayout, OutputStream stream)
            throws IOException {
        JsonWriter json = new JsonWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
        json.beginArray();
        runFrames(landmarker, source, featureLayout, lm -> {
            json.beginObject();
            json.name("frame").value(frames);
            LandmarkJson.writeMembers(json, lm);
            json.endObject();
        });
        json.endArray();
        json.flush(); // not close(): AtomicFiles closes the stream
    }

    /** Runs the landmarker over the source, giving each frame's landmarks to {@code sink}; counts what it found. */
    private void runFrames(
            HolisticLandmarker landmarker, VideoFrames source, FeatureLayout featureLayout, FrameSink sink)
            throws IOException {
        Progress progress = new Progress(
                err(),
                "landmarks",
                "frame",
                maxFrames > 0 ? Math.min(maxFrames, source.lengthInFrames()) : source.lengthInFrames());
        VideoLandmarks.forEachFrame(landmarker, source, maxFrames, (index, frame, lm, nanos) -> {
            detectNanos += nanos;
            sink.accept(lm);
            if (video != null) {
                video.write(frame, lm, List.of());
            }
            found[0] += lm.pose().isPresent() ? 1 : 0;
            found[1] += lm.leftHand().isPresent() ? 1 : 0;
            found[2] += lm.rightHand().isPresent() ? 1 : 0;
            found[3] += lm.face().isPresent() ? 1 : 0;
            if (npy != null) {
                if ((frames + 1) * featureLayout.size() > features.length) {
                    features = Arrays.copyOf(features, Math.max(16, (frames + 1) * 2) * featureLayout.size());
                }
                featureLayout.write(lm, features, frames * featureLayout.size());
            }
            frames++;
            progress.update(frames);
        });
    }

    private RunningMode runningMode() {
        if (mode != null) {
            switch (mode.toLowerCase(Locale.ROOT)) {
                case "image":
                    return RunningMode.IMAGE;
                case "video":
                    return RunningMode.VIDEO;
                default:
                    throw usageError("--mode must be image or video, was " + mode);
            }
        }
        String name = input.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1)) ? RunningMode.IMAGE : RunningMode.VIDEO;
    }
}
