package io.github.kslr.data;

import io.github.kslr.api.Checks;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkConnection;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.data.PoseFile.Color;
import io.github.kslr.data.PoseFile.Component;
import io.github.kslr.data.PoseFile.Limb;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HolisticLandmarks} sequences to and from {@link PoseFile}s, laid out as pose-format's own MediaPipe Holistic
 * reader ({@code pose_format.utils.holistic}) lays them out, so that pose-format's tools and viewers read KSLR's files
 * as theirs and the other way round.
 *
 * <p>Components, in this order, each of format {@code XYZC}: {@code POSE_LANDMARKS} (33 points named as MediaPipe's
 * {@code PoseLandmark}), {@code FACE_LANDMARKS} (468 points named {@code "0"} to {@code "467"}),
 * {@code LEFT_HAND_LANDMARKS} and {@code RIGHT_HAND_LANDMARKS} (21 points named as {@code HandLandmark}) and
 * {@code POSE_WORLD_LANDMARKS} (33). As pose-format does, x and y are pixels (normalised x times the width, y times
 * the height) and z is MediaPipe's z unscaled; pose-format scales the world landmarks' x and y by the width and height
 * too, and so does this class, so that the numbers mean the same in both. Confidence is the landmark's visibility for
 * the two pose components and the part's presence (1, or 0 when the part was not found) for face and hands; an absent
 * part is all zeros. The pose and hand limbs are MediaPipe's connections; the face is written without limbs (KSLR does
 * not carry MediaPipe's face-mesh tessellation), which only matters for drawing.
 *
 * <p>Reading takes the first person and finds components by name and points by name, so files with fewer points
 * (pose-format's reduced holistic files, e.g. 128 face points) read too: a point the file lacks reads as 0. A part is
 * present in a frame when any of its points has a non-zero confidence or coordinate; its score is then 1 (the format
 * has no per-part score). Frame {@code i}'s timestamp is {@code round(i * 1000 / fps)} ms.
 *
 * <p><b>Thread-safety.</b> Stateless; thread-safe.
 */
public final class HolisticPose {
    public static final String POSE_LANDMARKS = "POSE_LANDMARKS";
    public static final String FACE_LANDMARKS = "FACE_LANDMARKS";
    public static final String LEFT_HAND_LANDMARKS = "LEFT_HAND_LANDMARKS";
    public static final String RIGHT_HAND_LANDMARKS = "RIGHT_HAND_LANDMARKS";
    public static final String POSE_WORLD_LANDMARKS = "POSE_WORLD_LANDMARKS";

    private static final String FORMAT = "XYZC";

    /** MediaPipe's PoseLandmark names, in index order (the constants of {@code io.github.kslr.api.PoseLandmark}). */
    static final List<String> BODY_POINTS = List.of(
            "NOSE",
            "LEFT_EYE_INNER",
            "LEFT_EYE",
            "LEFT_EYE_OUTER",
            "RIGHT_EYE_INNER",
            "RIGHT_EYE",
            "RIGHT_EYE_OUTER",
            "LEFT_EAR",
            "RIGHT_EAR",
            "MOUTH_LEFT",
            "MOUTH_RIGHT",
            "LEFT_SHOULDER",
            "RIGHT_SHOULDER",
            "LEFT_ELBOW",
            "RIGHT_ELBOW",
            "LEFT_WRIST",
            "RIGHT_WRIST",
            "LEFT_PINKY",
            "RIGHT_PINKY",
            "LEFT_INDEX",
            "RIGHT_INDEX",
            "LEFT_THUMB",
            "RIGHT_THUMB",
            "LEFT_HIP",
            "RIGHT_HIP",
            "LEFT_KNEE",
            "RIGHT_KNEE",
            "LEFT_ANKLE",
            "RIGHT_ANKLE",
            "LEFT_HEEL",
            "RIGHT_HEEL",
            "LEFT_FOOT_INDEX",
            "RIGHT_FOOT_INDEX");

    /** MediaPipe's HandLandmark names, in index order (the constants of {@code io.github.kslr.api.HandLandmark}). */
    static final List<String> HAND_POINTS = List.of(
            "WRIST",
            "THUMB_CMC",
            "THUMB_MCP",
            "THUMB_IP",
            "THUMB_TIP",
            "INDEX_FINGER_MCP",
            "INDEX_FINGER_PIP",
            "INDEX_FINGER_DIP",
            "INDEX_FINGER_TIP",
            "MIDDLE_FINGER_MCP",
            "MIDDLE_FINGER_PIP",
            "MIDDLE_FINGER_DIP",
            "MIDDLE_FINGER_TIP",
            "RING_FINGER_MCP",
            "RING_FINGER_PIP",
            "RING_FINGER_DIP",
            "RING_FINGER_TIP",
            "PINKY_MCP",
            "PINKY_PIP",
            "PINKY_DIP",
            "PINKY_TIP");

    /** The components in file order, with the KSLR part each holds. */
    private static final List<Map.Entry<String, LandmarkPart>> LAYOUT = List.of(
            Map.entry(POSE_LANDMARKS, LandmarkPart.POSE),
            Map.entry(FACE_LANDMARKS, LandmarkPart.FACE),
            Map.entry(LEFT_HAND_LANDMARKS, LandmarkPart.LEFT_HAND),
            Map.entry(RIGHT_HAND_LANDMARKS, LandmarkPart.RIGHT_HAND),
            Map.entry(POSE_WORLD_LANDMARKS, LandmarkPart.POSE_WORLD));

    private HolisticPose() {}

    /** The five components KSLR writes, as pose-format's holistic reader names them. */
    public static List<Component> components() {
        List<String> face = new ArrayList<>(468);
        for (int i = 0; i < LandmarkPart.FACE.landmarkCount(); i++) {
            face.add(Integer.toString(i));
        }
        List<Color> red = List.of(new Color(255, 0, 0));
        return List.of(
                new Component(POSE_LANDMARKS, FORMAT, BODY_POINTS, limbs(LandmarkPart.POSE), red),
                new Component(FACE_LANDMARKS, FORMAT, face, List.of(), List.of(new Color(128, 0, 0))),
                new Component(
                        LEFT_HAND_LANDMARKS,
                        FORMAT,
                        HAND_POINTS,
                        limbs(LandmarkPart.LEFT_HAND),
                        List.of(new Color(0, 255, 0))),
                new Component(
                        RIGHT_HAND_LANDMARKS,
                        FORMAT,
                        HAND_POINTS,
                        limbs(LandmarkPart.RIGHT_HAND),
                        List.of(new Color(0, 0, 255))),
                new Component(POSE_WORLD_LANDMARKS, FORMAT, BODY_POINTS, limbs(LandmarkPart.POSE), red));
    }

    /** MediaPipe's connections of a part (kslr-api's one list), as pose-format's limbs. */
    private static List<Limb> limbs(LandmarkPart part) {
        List<Limb> limbs = new ArrayList<>(part.connections().size());
        for (LandmarkConnection c : part.connections()) {
            limbs.add(new Limb(c.start(), c.end()));
        }
        return limbs;
    }

    /**
     * A pose of one person from landmark frames, all of one image size.
     *
     * @param fps the frames' rate (pose-format keeps no timestamps)
     * @throws InvalidInputException when there are no frames, their image sizes differ, a size exceeds 65535 or fps
     *                               is not a positive finite number
     */
    public static PoseFile toPose(List<HolisticLandmarks> frames, float fps) {
        Checks.notNull(frames, "frames");
        if (frames.isEmpty()) {
            throw new InvalidInputException("a .pose needs at least one frame (its width and height come from it)");
        }
        if (!Float.isFinite(fps) || fps <= 0) {
            throw new InvalidInputException("fps must be a positive number, was " + fps);
        }
        HolisticLandmarks first = Checks.notNull(frames.get(0), "frames[0]");
        int width = first.imageWidth();
        int height = first.imageHeight();
        List<Component> components = components();
        int points = PoseFile.pointCount(components);
        float[] data = new float[frames.size() * points * 3];
        float[] confidence = new float[frames.size() * points];
        float[] values = new float[LandmarkPart.FACE.valueCount()];
        for (int f = 0; f < frames.size(); f++) {
            HolisticLandmarks lm = Checks.notNull(frames.get(f), "frames[" + f + "]");
            if (lm.imageWidth() != width || lm.imageHeight() != height) {
                throw new InvalidInputException("frame " + f + " is " + lm.imageWidth() + "x" + lm.imageHeight()
                        + ", frame 0 " + width + "x" + height + "; a .pose has one image size");
            }
            int point = f * points;
            for (Map.Entry<String, LandmarkPart> e : LAYOUT) {
                LandmarkPart part = e.getValue();
                LandmarkSet set = lm.part(part);
                int n = part.landmarkCount();
                if (set.isPresent()) {
                    set.copyTo(values, 0);
                    int stride = part.valuesPerLandmark();
                    for (int i = 0; i < n; i++) {
                        int d = (point + i) * 3;
                        data[d] = values[i * stride] * width;
                        data[d + 1] = values[i * stride + 1] * height;
                        data[d + 2] = values[i * stride + 2];
                        confidence[point + i] = part.hasVisibility() ? values[i * stride + 3] : 1f;
                    }
                }
                point += n;
            }
        }
        return PoseFile.of(width, height, 0, components, fps, frames.size(), 1, data, confidence);
    }

    /**
     * The first person's landmarks, frame by frame.
     *
     * @throws InvalidInputException when the pose has no person, none of the five holistic components (by name), no
     *                               positive fps, no width or height, or a value that is not finite
     */
    public static List<HolisticLandmarks> toHolistic(PoseFile pose) {
        Checks.notNull(pose, "pose");
        if (pose.peopleCount() == 0 && pose.frameCount() > 0) {
            throw new InvalidInputException("the .pose holds no person");
        }
        if (!(pose.fps() > 0)) {
            throw new InvalidInputException("the .pose's fps is " + pose.fps() + "; timestamps need a positive one");
        }
        if (pose.width() == 0 || pose.height() == 0) {
            throw new InvalidInputException("the .pose's width and height are " + pose.width() + "x" + pose.height()
                    + "; landmarks need both (x and y are pixels in a .pose)");
        }
        if (pose.dims() < 2) {
            throw new InvalidInputException(
                    "the .pose's points have " + pose.dims() + " values; expected at least x and y");
        }
        // For each part, the file's point index of each of its landmarks (-1: the file lacks it).
        Map<LandmarkPart, int[]> where = new EnumMap<>(LandmarkPart.class);
        for (Map.Entry<String, LandmarkPart> e : LAYOUT) {
            Component c = pose.component(e.getKey());
            if (c == null) {
                continue;
            }
            LandmarkPart part = e.getValue();
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < c.points().size(); i++) {
                byName.putIfAbsent(c.points().get(i), i);
            }
            int offset = pose.pointOffset(e.getKey());
            int[] index = new int[part.landmarkCount()];
            for (int i = 0; i < index.length; i++) {
                String pointName = part == LandmarkPart.FACE
                        ? Integer.toString(i)
                        : part.hasVisibility() ? BODY_POINTS.get(i) : HAND_POINTS.get(i);
                Integer at = byName.get(pointName);
                index[i] = at == null ? -1 : offset + at;
            }
            where.put(part, index);
        }
        if (where.isEmpty()) {
            throw new InvalidInputException("the .pose has none of the MediaPipe Holistic components "
                    + POSE_LANDMARKS + ", " + FACE_LANDMARKS + ", " + LEFT_HAND_LANDMARKS + ", "
                    + RIGHT_HAND_LANDMARKS + ", " + POSE_WORLD_LANDMARKS + "; it has " + names(pose));
        }
        int width = pose.width();
        int height = pose.height();
        int dims = pose.dims();
        int points = pose.pointCount();
        int people = pose.peopleCount();
        List<HolisticLandmarks> frames = new ArrayList<>(pose.frameCount());
        float[] values = new float[LandmarkPart.FACE.valueCount()];
        LandmarkSet[] sets = new LandmarkSet[LandmarkPart.values().length];
        for (int f = 0; f < pose.frameCount(); f++) {
            int base = f * people * points; // person 0
            for (LandmarkPart part : LandmarkPart.values()) {
                int[] index = where.get(part);
                sets[part.ordinal()] = index == null
                        ? LandmarkSet.absent(part)
                        : set(pose, part, index, base, dims, width, height, values, f);
            }
            long timestampMs = Math.round(f * 1000.0 / pose.fps());
            frames.add(new HolisticLandmarks(
                    timestampMs,
                    width,
                    height,
                    sets[LandmarkPart.POSE.ordinal()],
                    sets[LandmarkPart.POSE_WORLD.ordinal()],
                    sets[LandmarkPart.FACE.ordinal()],
                    sets[LandmarkPart.LEFT_HAND.ordinal()],
                    sets[LandmarkPart.RIGHT_HAND.ordinal()]));
        }
        return frames;
    }

    private static LandmarkSet set(
            PoseFile pose,
            LandmarkPart part,
            int[] index,
            int base,
            int dims,
            int width,
            int height,
            float[] values,
            int frame) {
        int stride = part.valuesPerLandmark();
        boolean present = false;
        for (int i = 0; i < index.length; i++) {
            int o = i * stride;
            if (index[i] < 0) {
                for (int k = 0; k < stride; k++) {
                    values[o + k] = 0f;
                }
                continue;
            }
            int p = base + index[i];
            float x = pose.data[p * dims];
            float y = pose.data[p * dims + 1];
            float z = dims > 2 ? pose.data[p * dims + 2] : 0f;
            float c = pose.confidence[p];
            present |= x != 0f || y != 0f || z != 0f || c != 0f;
            values[o] = x / width;
            values[o + 1] = y / height;
            values[o + 2] = z;
            if (part.hasVisibility()) {
                values[o + 3] = c;
            }
        }
        if (!present) {
            return LandmarkSet.absent(part);
        }
        try {
            return LandmarkSet.of(part, values, 0, 1f);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("frame " + frame + " of the .pose: " + e.getMessage(), e);
        }
    }

    private static String names(PoseFile pose) {
        List<String> names = new ArrayList<>();
        for (Component c : pose.components()) {
            names.add(c.name());
        }
        return names.toString();
    }
}
