package io.github.kslr.examples.cli;

import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.SignEmbedderMetadata;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.recognizer.OnnxSignEmbedder;
import io.github.kslr.recognizer.SignVocabulary;
import io.github.kslr.recognizer.TakeRecorder;
import io.github.kslr.train.SignDataset;
import io.github.kslr.video.VideoFrames;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kslr enrol}: teaches signs to a vocabulary, either one sign from takes (videos, or folders of them as
 * {@code kslr collect} records) or several from windows of a dataset.
 */
@Command(
        name = "enrol",
        mixinStandardHelpOptions = true,
        description = {
            "Teaches signs to a vocabulary file (created when missing; enrolling into an existing one adds"
                    + " to it; a label the vocabulary has gets the takes added), embedded with --embedder (default: the"
                    + " bundled one). Two forms:",
            "  --sign LABEL [--khmer TEXT] [--gloss G] TAKE...: one sign from takes, each TAKE a video of the sign"
                    + " made once, or a folder of such videos (a recordings folder as `kslr collect` writes it,"
                    + " OUT/SIGN). The window of each take the sign is in is found from hand presence and motion, and"
                    + " printed.",
            "  --data DIR --labels L1,L2,... [--shots K] [--session S]: for each label, its first K windows in file"
                    + " order of session S (default: the lowest session holding the label)."
        })
public final class EnrolCommand extends CommandBase {

    @Option(names = "--vocabulary", required = true, paramLabel = "V", description = "the vocabulary file")
    Path vocabulary;

    @Option(names = "--embedder", paramLabel = "EMB.onnx", description = "sign embedder (default: the bundled one)")
    Path embedder;

    @Option(names = "--sign", paramLabel = "LABEL", description = "the sign the TAKEs show")
    String sign;

    @Option(names = "--khmer", paramLabel = "TEXT", description = "the sign's Khmer text (with --sign)")
    String khmer;

    @Option(names = "--gloss", paramLabel = "G", description = "the sign's gloss (with --sign; default: LABEL)")
    String gloss;

    @Parameters(
            paramLabel = "TAKE",
            arity = "0..*",
            description = "with --sign: videos of the sign, one take each, or folders of them")
    List<Path> takes = List.of();

    @Option(names = "--data", paramLabel = "DIR", description = "the dataset folder")
    Path data;

    @Option(names = "--labels", split = ",", paramLabel = "L1,L2,...", description = "the labels to teach")
    List<String> labels;

    @Option(
            names = "--shots",
            paramLabel = "K",
            description = "windows a label with --data (default " + DEFAULT_SHOTS + "; at least "
                    + SignVocabulary.MIN_TAKES + " for a new sign)")
    Integer shots;

    @Option(names = "--session", paramLabel = "S", description = "the session the windows come from")
    Integer session;

    @Option(
            names = "--mirrored-takes",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "also enrol each take's mirror image (the sign made with the other hand), so that a sign"
                    + " taught by a right-handed signer is recognised from a left-handed one (default: on;"
                    + " --no-mirrored-takes leaves them out)")
    boolean mirroredTakes;

    @Option(
            names = "--no-sign-label",
            defaultValue = "-",
            description = "the label meaning 'no sign', which cannot be taught (default '${DEFAULT-VALUE}')")
    String noSignLabel;

    @CommandLine.Mixin
    LandmarkerOptions landmarkerOptions = new LandmarkerOptions();

    private static final int DEFAULT_SHOTS = 5;

    @Override
    public Integer call() {
        PrintWriter o = out();
        boolean fromTakes = sign != null || !takes.isEmpty();
        if (fromTakes == (data != null)) {
            throw usageError("give either --sign LABEL TAKE... or --data DIR --labels L1,L2,...");
        }
        if (fromTakes && (sign == null || takes.isEmpty() || labels != null || shots != null || session != null)) {
            throw usageError("--sign LABEL needs at least one TAKE and takes no --labels, --shots or --session");
        }
        if (!fromTakes && (labels == null || khmer != null || gloss != null)) {
            throw usageError("--data needs --labels and takes no --khmer or --gloss (those go with --sign)");
        }
        for (Path take : takes) {
            DistinctFiles.require(spec, "--vocabulary", vocabulary, "TAKE", take);
        }
        DistinctFiles.require(spec, "--vocabulary", vocabulary, "--embedder", embedder);
        try (OnnxSignEmbedder emb = VocabularyFiles.embedder(embedder)) {
            // Checked before the slow part: a file of another embedder or a broken one fails at once.
            if (Files.exists(vocabulary)) {
                SignVocabulary.load(vocabulary, emb.metadata());
            }
            List<Teaching> teachings = fromTakes ? enrolTakes(emb, o) : enrolDataset(emb);
            // Load, add and save under the vocabulary's lock: another enrolment at the same time lands too.
            int size = SignVocabulary.update(vocabulary, emb.metadata(), v -> {
                for (Teaching t : teachings) {
                    checkTeachable(t.label());
                    boolean known = v.signs().stream().anyMatch(x -> x.label().equals(t.label()));
                    if (known) {
                        v.addTakes(t.label(), t.embeddings(), t.mirrored(), t.count());
                    } else {
                        v.add(t.label(), t.khmer(), t.gloss(), t.embeddings(), t.mirrored(), t.count());
                    }
                    o.printf("%s '%s': %d takes%s%n", known ? "added to" : "taught", t.label(), t.count(), t.from());
                }
                return v.signs().size();
            });
            o.println("vocabulary " + vocabulary + ": " + size + " signs");
        }
        o.flush();
        return 0;
    }

    private void checkTeachable(String label) {
        if (label.equals(noSignLabel)) {
            throw new InvalidInputException("'" + noSignLabel + "' means no sign; it cannot be taught as one");
        }
    }

    /**
     * One sign's new takes, embedded, waiting to be added.
     *
     * @param mirrored the takes' mirror images' embeddings, or null without them
     */
    private record Teaching(
            String label, String khmer, String gloss, float[] embeddings, float[] mirrored, int count, String from) {}

    /** The takes' mirror images' embeddings when asked for and the embedder's layout can be mirrored, else null. */
    private float[] mirrored(OnnxSignEmbedder emb, float[] windows, int count) {
        return mirroredTakes && emb.canMirror() ? emb.embedMirrored(windows, count) : null;
    }

    private List<Teaching> enrolTakes(OnnxSignEmbedder emb, PrintWriter o) {
        checkTeachable(sign);
        List<Path> videos = new ArrayList<>();
        for (Path take : takes) {
            if (Files.isDirectory(take)) {
                List<Path> inFolder = DatasetCommand.sortedChildren(take).stream()
                        .filter(DatasetCommand::isVideoFile)
                        .toList();
                if (inFolder.isEmpty()) {
                    throw new InvalidInputException("folder " + take + " holds no video ("
                            + new TreeSet<>(DatasetCommand.VIDEO_EXTENSIONS) + ")");
                }
                videos.addAll(inFolder);
            } else if (Files.isRegularFile(take)) {
                videos.add(take);
            } else {
                throw new InvalidInputException("take " + take + " is neither a video nor a folder of videos");
            }
        }
        SignEmbedderMetadata meta = emb.metadata();
        FeatureLayout layout = meta.model().layout();
        TakeRecorder recorder = TakeRecorder.forEmbedder(meta);
        float[] windows = new float[videos.size() * meta.model().sequenceLength() * layout.size()];
        try (LandmarkerModels models = landmarkerOptions.loadModels();
                HolisticLandmarker landmarker = landmarkerOptions
                        .landmarker(models)
                        .runningMode(RunningMode.VIDEO)
                        .faceLandmarks(layout.uses(LandmarkPart.FACE))
                        .build()) {
            for (int i = 0; i < videos.size(); i++) {
                Path video = videos.get(i);
                landmarker.reset();
                recorder.clear();
                try (VideoFrames source = landmarkerOptions.openVideo(video.toString())) {
                    for (ImageFrame frame = source.next(); frame != null; frame = source.next()) {
                        recorder.add(landmarker.detect(frame));
                    }
                }
                TakeRecorder.TakeWindow w;
                try {
                    w = recorder.window();
                } catch (InvalidInputException e) {
                    throw new InvalidInputException(
                            "take " + video + ": " + e.getMessage() + "; nothing was enrolled", e);
                }
                System.arraycopy(w.window(), 0, windows, i * w.window().length, w.window().length);
                o.printf("take %s: %s%n", video, w.describe());
            }
        }
        return List.of(new Teaching(
                sign,
                khmer == null ? "" : khmer,
                gloss == null ? sign : gloss,
                emb.embed(windows, videos.size()),
                mirrored(emb, windows, videos.size()),
                videos.size(),
                ""));
    }

    private List<Teaching> enrolDataset(OnnxSignEmbedder emb) {
        int k = shots == null ? DEFAULT_SHOTS : shots;
        SignDataset d = SignDataset.open(data);
        SignDataset in = d.convertTo(emb.metadata().model().layout());
        List<Teaching> out = new ArrayList<>();
        for (String label : labels) {
            checkTeachable(label);
            int c = d.labels().indexOf(label);
            if (c < 0) {
                throw new InvalidInputException("label '" + label + "' is not in " + data + " (" + d.labels() + ")");
            }
            int s = session != null
                    ? session
                    : IntStream.range(0, d.size())
                            .filter(i -> d.label(i) == c)
                            .map(d::session)
                            .min()
                            .orElseThrow();
            int[] idx = IntStream.range(0, d.size())
                    .filter(i -> d.label(i) == c && d.session(i) == s)
                    .limit(k)
                    .toArray();
            if (idx.length < k) {
                throw new InvalidInputException("session " + s + " holds " + idx.length + " windows of '" + label
                        + "', fewer than --shots " + k);
            }
            float[] windows = in.subset(idx).windows();
            out.add(new Teaching(
                    label,
                    "",
                    label,
                    emb.embed(windows, idx.length),
                    mirrored(emb, windows, idx.length),
                    idx.length,
                    " from session " + s));
        }
        return out;
    }
}
