package io.github.kslr.examples.pipeline;

import com.google.gson.stream.JsonWriter;
import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.LandmarkSet;
import io.github.kslr.api.Prediction;
import java.io.IOException;

/**
 * Writes landmarks and predictions as JSON in the schema of {@code kslr landmarks --out}: {@code "pose":
 * [[x,y,z,visibility] x33] | null}, {@code "leftHand"}/{@code "rightHand": [[x,y,z] x21] | null}, {@code "face":
 * [[x,y,z] x468] | null}; x and y normalised to [0,1] of the image.
 *
 * <p>Stateless and thread-safe; values are rounded to 5 decimals (a hundred-thousandth of the image is far below
 * any landmarker's precision) to keep the web demo's messages small.
 */
public final class LandmarkJson {
    private LandmarkJson() {}

    /** Writes the landmark members ({@code timestampMs ... face}) into the object the writer is in. */
    public static void writeMembers(JsonWriter w, HolisticLandmarks lm) throws IOException {
        w.name("timestampMs").value(lm.timestampMs());
        w.name("width").value(lm.imageWidth());
        w.name("height").value(lm.imageHeight());
        writePart(w, "pose", lm.pose());
        writePart(w, "leftHand", lm.leftHand());
        writePart(w, "rightHand", lm.rightHand());
        writePart(w, "face", lm.face());
    }

    private static void writePart(JsonWriter w, String name, LandmarkSet set) throws IOException {
        w.name(name);
        if (!set.isPresent()) {
            w.nullValue();
            return;
        }
        int components = set.part().valuesPerLandmark();
        w.beginArray();
        for (int i = 0; i < set.size(); i++) {
            w.beginArray();
            for (int c = 0; c < components; c++) {
                w.value(round(set.value(i, c)));
            }
            w.endArray();
        }
        w.endArray();
    }

    /** Writes a prediction as {@code {"label", "khmer", "gloss", "confidence", "recognized"}}. */
    public static void writePrediction(JsonWriter w, Prediction p) throws IOException {
        w.beginObject();
        w.name("label").value(p.label());
        w.name("khmer").value(p.khmer());
        w.name("gloss").value(p.gloss());
        w.name("confidence").value(round(p.confidence()));
        w.name("recognized").value(p.recognized());
        w.endObject();
    }

    static double round(float v) {
        return Math.round(v * 1e5) / 1e5;
    }
}
