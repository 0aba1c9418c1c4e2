package io.github.kslr.landmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.LandmarkSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the landmarks JSON (reference tool / kslr landmarks) and converts parts to pixel arrays. */
final class LandmarksJson {
    private LandmarksJson() {}

    record Frame(int width, int height, double[][] pose, double[][] leftHand, double[][] rightHand, double[][] face) {
        double[][] part(String name) {
            return switch (name) {
                case "pose" -> pose;
                case "leftHand" -> leftHand;
                case "rightHand" -> rightHand;
                case "face" -> face;
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    static List<Frame> read(Path file) throws IOException {
        JsonArray arr = JsonParser.parseString(Files.readString(file)).getAsJsonArray();
        List<Frame> out = new ArrayList<>();
        for (JsonElement e : arr) {
            JsonObject o = e.getAsJsonObject();
            int w = o.get("width").getAsInt(), h = o.get("height").getAsInt();
            out.add(new Frame(
                    w,
                    h,
                    pixels(o.get("pose"), w, h),
                    pixels(o.get("leftHand"), w, h),
                    pixels(o.get("rightHand"), w, h),
                    pixels(o.get("face"), w, h)));
        }
        return out;
    }

    private static double[][] pixels(JsonElement e, int w, int h) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        double[][] p = new double[a.size()][];
        for (int i = 0; i < a.size(); i++) {
            JsonArray q = a.get(i).getAsJsonArray();
            p[i] = new double[] {q.get(0).getAsDouble() * w, q.get(1).getAsDouble() * h};
        }
        return p;
    }

    /** A KSLR part in pixels, or null when absent. */
    static double[][] pixels(LandmarkSet s, int w, int h) {
        if (!s.isPresent()) {
            return null;
        }
        double[][] p = new double[s.size()][];
        for (int i = 0; i < s.size(); i++) {
            p[i] = new double[] {s.x(i) * (double) w, s.y(i) * (double) h};
        }
        return p;
    }

    static double[][] part(HolisticLandmarks r, String name) {
        int w = r.imageWidth(), h = r.imageHeight();
        return switch (name) {
            case "pose" -> pixels(r.pose(), w, h);
            case "leftHand" -> pixels(r.leftHand(), w, h);
            case "rightHand" -> pixels(r.rightHand(), w, h);
            case "face" -> pixels(r.face(), w, h);
            default -> throw new IllegalArgumentException(name);
        };
    }
}
