package io.github.kslr.consumercheck;

import io.github.kslr.api.AudioClip;
import io.github.kslr.api.HandLossPolicy;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.PixelFormat;
import io.github.kslr.api.Prediction;
import io.github.kslr.api.RunningMode;
import io.github.kslr.api.SignClassifier;
import io.github.kslr.landmarks.HolisticLandmarker;
import io.github.kslr.landmarks.LandmarkerModels;
import io.github.kslr.recognizer.DemoSignModel;
import io.github.kslr.recognizer.OnnxSignClassifier;
import io.github.kslr.recognizer.SignRecognizer;
import io.github.kslr.tts.VitsKhmerSpeech;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Uses the published modules as an application would: an image through the bundled landmark models, a window of it
 * through the bundled demo sign model, and a Khmer sentence with a number through a voice file. Prints one
 * {@code key=value} line that tools/consumer-check.sh checks.
 *
 * <pre>java ... io.github.kslr.consumercheck.Main IMAGE VOICE.onnx</pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Main IMAGE VOICE.onnx");
            System.exit(2);
        }
        BufferedImage read = ImageIO.read(Path.of(args[0]).toFile());
        if (read == null) {
            throw new IOException("not an image ImageIO reads: " + args[0]);
        }
        BufferedImage bgr = new BufferedImage(read.getWidth(), read.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(read, 0, 0, null);
        ByteBuffer pixels = ByteBuffer.wrap(((DataBufferByte) bgr.getRaster().getDataBuffer()).getData());

        int posePoints;
        int hands;
        Optional<Prediction> last = Optional.empty();
        try (SignClassifier classifier = OnnxSignClassifier.builder().model(DemoSignModel.source()).build();
                LandmarkerModels models = LandmarkerModels.load();
                HolisticLandmarker still = HolisticLandmarker.builder(models).runningMode(RunningMode.IMAGE).build();
                HolisticLandmarker video = HolisticLandmarker.builder(models).runningMode(RunningMode.VIDEO).build()) {
            HolisticLandmarks landmarks = still.detect(ImageFrame.packed(bgr.getWidth(), bgr.getHeight(),
                    PixelFormat.BGR, pixels, 0));
            posePoints = landmarks.pose().size();
            hands = (landmarks.leftHand().isPresent() ? 1 : 0) + (landmarks.rightHand().isPresent() ? 1 : 0);
            // The image as a still video, one window long: the recognizer predicts once the window is full (frames
            // whose hands the video landmarker loses stay in the window).
            SignRecognizer recognizer = SignRecognizer.builder(classifier).landmarker(video)
                    .handLossPolicy(HandLossPolicy.KEEP).build();
            for (int i = 0; i < classifier.metadata().sequenceLength(); i++) {
                Optional<Prediction> p = recognizer.accept(ImageFrame.packed(bgr.getWidth(), bgr.getHeight(),
                        PixelFormat.BGR, pixels, i * 33L));
                if (p.isPresent()) {
                    last = p;
                }
            }
        }
        AudioClip speech;
        try (VitsKhmerSpeech voice = VitsKhmerSpeech.open(Path.of(args[1]))) {
            speech = voice.synthesize("ឆ្នាំ ២០២៦។");
        }
        System.out.println("pose=" + posePoints + " hands=" + hands + " prediction="
                + last.map(Prediction::label).orElse("none") + " speech_samples=" + speech.sampleCount());
    }
}
