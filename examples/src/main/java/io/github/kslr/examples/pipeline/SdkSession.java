package io.github.kslr.examples.pipeline;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.Landmarker;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.api.SignLabel;
import io.github.kslr.recognizer.RecognitionListener;
import io.github.kslr.recognizer.SignRecognizer;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream through the SDK: the {@link Landmarker} (video mode; run here so its landmarks can be shown), then
 * kslr-recognizer's {@link SignRecognizer} (window, classifier, sentence rules).
 *
 * <p><b>Thread-safety.</b> Not thread-safe (one stream, one thread at a time). Owns its landmarker; borrows the
 * classifier, which is shared between sessions.
 */
final class SdkSession implements RecognitionSession {
    private final Landmarker landmarker;
    private final SignRecognizer recognizer;
    private final List<Prediction> accepted = new ArrayList<>();
    private Prediction window;
    private boolean closed;

    SdkSession(Landmarker landmarker, SignClassifier classifier, RecognitionSettings settings) {
        this.landmarker = landmarker;
        SignRecognizer.Builder b = SignRecognizer.builder(classifier).landmarker(landmarker);
        if (settings.frameRate() != null) {
            b.frameRate(settings.frameRate()); // else the model's training rate, when it names one
        }
        this.recognizer = b.agreement(settings.agreement())
                .handLossPolicy(settings.handLoss())
                .listener(new RecognitionListener() {
                    @Override
                    public void onPrediction(Prediction prediction, long timestampMs) {
                        window = prediction;
                    }

                    @Override
                    public void onSignRecognized(SignLabel sign, Prediction prediction, long timestampMs) {
                        accepted.add(prediction);
                    }
                })
                .build();
    }

    @Override
    public FrameResult process(ImageFrame frame) {
        long t0 = System.nanoTime();
        HolisticLandmarks lm = landmarker.detect(frame);
        return recognise(lm, (System.nanoTime() - t0) / 1e6);
    }

    @Override
    public FrameResult process(HolisticLandmarks landmarks) {
        return recognise(landmarks, 0);
    }

    private FrameResult recognise(HolisticLandmarks lm, double landmarkMs) {
        long t1 = System.nanoTime();
        accepted.clear();
        window = null;
        recognizer.accept(lm);
        long t2 = System.nanoTime();
        return new FrameResult(lm, window, accepted, recognizer.sentence().text(), landmarkMs, (t2 - t1) / 1e6);
    }

    @Override
    public String sentence() {
        return recognizer.sentence().text();
    }

    @Override
    public void clear() {
        recognizer.clear();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        landmarker.close();
    }
}
