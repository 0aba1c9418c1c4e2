package io.github.kslr.examples.quickstart;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.KhmerSpeech;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.api.SignLabel;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.recognizer.RecognitionListener;
import io.github.kslr.recognizer.SignRecognizer;
import io.github.kslr.tts.KhmerVoices;
import io.github.kslr.tts.VitsSpeechOptions;
import io.github.kslr.video.VideoFrames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * README's "Using it from Java", compiled and runnable: frames -> landmarks -> windows -> signs -> Khmer sentence
 * (-> speech when a voice is given), with the SDK's public API only (video decoding comes from this module's
 * {@link VideoFrames}; any source of {@link ImageFrame}s works).
 *
 * <pre>
 * java -cp examples/target/kslr.jar io.github.kslr.examples.quickstart.QuickStart VIDEO [VOICE.onnx OUT.wav]
 * </pre>
 */
public final class QuickStart {
    private QuickStart() {}

    /** What one video gave: frames read, signs recognised in order, and the final sentence. */
    public record Result(int frames, List<String> signs, String sentence) {
        public Result {
            signs = List.copyOf(signs);
        }
    }

    /** Recognises signs in {@code video} with the bundled demo sign model. */
    public static Result recognize(Path video) {
        List<String> signs = new ArrayList<>();
        int frames = 0;
        try (SignClassifier classifier = OnnxSignClassifier.builder()
                        .model(DemoSignModel.source())
                        .build();
                LandmarkerModels models = LandmarkerModels.load(); // bundled MediaPipe models; shareable
                HolisticLandmarker landmarker = HolisticLandmarker.builder(models)
                        .runningMode(RunningMode.VIDEO)
                        .faceLandmarks(classifier.metadata().layout().uses(LandmarkPart.FACE)) // skip what it ignores
                        .build();
                VideoFrames camera = VideoFrames.open(video.toString())) {
            SignRecognizer recognizer = recognizer(classifier, landmarker, signs);
            // Each frame's pixels are borrowed for the call, not copied (RGB/BGR/RGBA/BGRA, any row stride).
            for (ImageFrame frame = camera.next(); frame != null; frame = camera.next()) {
                recognizer.accept(frame);
                frames++;
            }
            return new Result(frames, signs, recognizer.sentence().text());
        }
    }

    /**
     * A recognizer of {@code classifier}'s signs in {@code landmarker}'s landmarks that adds each sign it recognises to
     * {@code signs}: its Khmer text, or its label when it has none. The listener runs on the thread that hands the
     * recognizer its frames.
     */
    static SignRecognizer recognizer(SignClassifier classifier, HolisticLandmarker landmarker, List<String> signs) {
        return SignRecognizer.builder(classifier)
                .landmarker(landmarker)
                .listener(new RecognitionListener() {
                    @Override
                    public void onSignRecognized(SignLabel sign, Prediction prediction, long timestampMs) {
                        signs.add(sign.khmer().isEmpty() ? sign.label() : sign.khmer());
                    }
                })
                .build();
    }

    /** Speaks {@code khmer} with a VITS voice (e.g. facebook/mms-tts-khm exported to ONNX) into a WAV file. */
    public static void speak(String khmer, Path voice, Path wav) {
        try (KhmerSpeech speech = KhmerVoices.open(voice, VitsSpeechOptions.defaults())) {
            speech.synthesize(khmer).writeWav(wav);
        }
    }

    public static void main(String[] args) {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: QuickStart VIDEO [VOICE.onnx OUT.wav]");
            System.exit(2);
        }
        Result r = recognize(Path.of(args[0]));
        System.out.println(r.frames() + " frames, signs " + r.signs() + ", sentence: "
                + (r.sentence().isEmpty() ? "(nothing recognised)" : r.sentence()));
        if (args.length == 3 && !r.sentence().isEmpty()) {
            speak(r.sentence(), Path.of(args[1]), Path.of(args[2]));
            System.out.println("wrote " + args[2]);
        }
    }
}
