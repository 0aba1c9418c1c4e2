package io.github.kslr.landmarks;

import static io.github.kslr.landmarks.HolisticModel.FACE_DETECTION;
import static io.github.kslr.landmarks.HolisticModel.FACE_LANDMARK;
import static io.github.kslr.landmarks.HolisticModel.Output.LANDMARKS;
import static io.github.kslr.landmarks.HolisticModel.Output.PRESENCE;
import static io.github.kslr.landmarks.HolisticStages.FACE_POINTS;
import static io.github.kslr.landmarks.HolisticStages.clamp01;

import io.github.kslr.api.ImageFrame;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import java.util.Arrays;
import java.util.List;

/**
 * The holistic graph's face branch over every stream (MediaPipe's {@code holistic_face_tracking}): face detection
 * inside the face region the pose gives, for every stream with a pose, then face landmarks, keeping the previous
 * frame's region when it agrees; one batch each. It reads only the pose, the frames and its own state, so it may run
 * on another thread beside {@link HandTracking}.
 *
 * <p><b>Thread-safety.</b> Not thread-safe: owned by one {@link HolisticGraph}. {@link #close()} frees its runners and
 * croppers.
 */
final class FaceTracking implements AutoCloseable {
    private final float minPresence;
    private final Units.DetectionAndLandmarks stages;
    private final BatchRunner landmark;
    private final Track[] tracks;

    /** One stream's face: its tracking state and this frame's result (its croppers are in {@code stages}). */
    private static final class Track {
        final float[] face = new float[FACE_POINTS * 3];
        final float[] prevFace = new float[FACE_POINTS * 3];
        boolean prevFacePresent;
        // Per frame.
        NormRect fromPose;
        NormRect roi;
        LandmarkSet result;
    }

    /** @param batch fixed batch of both models, 0 for variable batches */
    FaceTracking(LandmarkerModels models, int streams, int batch, float minDetectionConfidence, float minPresence) {
        this.minPresence = minPresence;
        stages = new Units.DetectionAndLandmarks(
                models, FACE_DETECTION, batch, minDetectionConfidence, FACE_LANDMARK, batch, streams);
        landmark = stages.landmark;
        tracks = new Track[streams];
        Arrays.setAll(tracks, i -> new Track());
    }

    /** Stream {@code stream}'s face of the last frame. */
    LandmarkSet face(int stream) {
        return tracks[stream].result;
    }

    /** Forgets stream {@code stream}'s previous face. */
    void reset(int stream) {
        tracks[stream].prevFacePresent = false;
    }

    /** Finds the face of {@code frames[i]} for every stream {@code i}, after {@code pose} has run on them. */
    void run(ImageFrame[] frames, PoseTracking pose) {
        int k = 0;
        for (int i = 0; i < tracks.length; i++) {
            Track t = tracks[i];
            t.result = LandmarkSet.absent(LandmarkPart.FACE);
            t.roi = null;
            if (!pose.present(i)) {
                t.prevFacePresent = false;
                continue;
            }
            t.fromPose = HolisticStages.faceDetectionRoi(pose.landmarks(i), frames[i].width(), frames[i].height());
            k++;
        }
        if (k == 0) {
            return;
        }
        BatchRunner r = stages.detection.runner;
        r.ensure(k);
        int j = 0;
        for (int i = 0; i < tracks.length; i++) {
            if (pose.present(i)) {
                stages.detectionCrop(i).crop(frames[i], tracks[i].fromPose, r.input(), r.inputOffset(j++));
            }
        }
        r.run(k);
        j = 0;
        int m = 0;
        for (int i = 0; i < tracks.length; i++) {
            if (!pose.present(i)) {
                continue;
            }
            Track t = tracks[i];
            List<Detection> faces = stages.detection.decode(j++);
            if (faces.isEmpty()) {
                t.prevFacePresent = false;
                continue;
            }
            int w = frames[i].width(), h = frames[i].height();
            NormRect fromDetection = HolisticStages.faceRoi(faces.get(0), t.fromPose, w, h);
            NormRect roi = fromDetection;
            if (t.prevFacePresent) {
                NormRect prevRoi = HolisticStages.faceTrackedRoi(t.prevFace, w, h);
                if (RoiTracking.FACE.keepPrevious(prevRoi, fromDetection, t.prevFace, 3, FACE_POINTS, w, h)) {
                    roi = prevRoi;
                }
            }
            t.roi = roi;
            m++;
        }
        if (m == 0) {
            return;
        }
        landmark.ensure(m);
        j = 0;
        for (int i = 0; i < tracks.length; i++) {
            Track t = tracks[i];
            if (t.roi != null) {
                stages.landmarkCrop(i).crop(frames[i], t.roi, landmark.input(), landmark.inputOffset(j++));
            }
        }
        landmark.run(m);
        j = 0;
        for (Track t : tracks) {
            if (t.roi == null) {
                continue;
            }
            float presence = HolisticStages.sigmoid(landmark.output(PRESENCE).get(landmark.outputOffset(PRESENCE, j)));
            if (!(presence > minPresence)) {
                t.prevFacePresent = false;
            } else {
                HolisticStages.decodeFace(
                        landmark.output(LANDMARKS),
                        landmark.outputOffset(LANDMARKS, j),
                        landmark.width(),
                        landmark.height(),
                        t.roi,
                        t.face);
                System.arraycopy(t.face, 0, t.prevFace, 0, t.face.length);
                t.prevFacePresent = true;
                t.result = LandmarkSet.of(LandmarkPart.FACE, t.face, 0, clamp01(presence));
            }
            j++;
        }
    }

    @Override
    public void close() {
        stages.close();
    }
}
