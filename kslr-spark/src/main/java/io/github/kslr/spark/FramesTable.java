package io.github.kslr.spark;

import io.github.kslr.api.HolisticLandmarks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
import io.github.kslr.api.LandmarkSet;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The three tables {@code extract} writes and their schemas (version {@value #SCHEMA_VERSION}; the module README
 * documents them): frames (one row a frame), videos (one row a video tried) and failures (one row a video that could
 * not be read). Also the conversion between a frame row and {@link HolisticLandmarks}, exact both ways.
 *
 * <p><b>Thread-safety.</b> Stateless; the schemas are immutable.
 */
public final class FramesTable {
    /** Bumped when a column changes meaning, type or disappears; {@code extract} refuses to add to another version. */
    public static final int SCHEMA_VERSION = 1;

    /** The parts a frame row holds, in column order, with their column names. */
    static final List<LandmarkPart> PARTS = List.of(
            LandmarkPart.POSE,
            LandmarkPart.POSE_WORLD,
            LandmarkPart.LEFT_HAND,
            LandmarkPart.RIGHT_HAND,
            LandmarkPart.FACE);

    static final List<String> PART_COLUMNS = List.of("pose", "pose_world", "left_hand", "right_hand", "face");

    /** Frame rows: video_id, frame, timestamp_ms, width, height, then per part its values (null: absent) and score. */
    public static final StructType FRAMES = frames();

    /** Video rows: one a video tried; {@code error} is null when it was read to the end. */
    public static final StructType VIDEOS = new StructType(new StructField[] {
        DataTypes.createStructField("video_id", DataTypes.StringType, false),
        DataTypes.createStructField("frames", DataTypes.IntegerType, false),
        DataTypes.createStructField("frames_with_hands", DataTypes.IntegerType, false),
        DataTypes.createStructField("ms_per_frame", DataTypes.DoubleType, false),
        DataTypes.createStructField("wall_ms", DataTypes.LongType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true)
    });

    /** Failure rows: the video, the kind of error (its class's simple name) and its message. */
    public static final StructType FAILURES = new StructType(new StructField[] {
        DataTypes.createStructField("video_id", DataTypes.StringType, false),
        DataTypes.createStructField("error_type", DataTypes.StringType, false),
        DataTypes.createStructField("message", DataTypes.StringType, true)
    });

    private FramesTable() {}

    private static StructType frames() {
        StructType t = new StructType()
                .add("video_id", DataTypes.StringType, false)
                .add("frame", DataTypes.IntegerType, false)
                .add("timestamp_ms", DataTypes.LongType, false)
                .add("width", DataTypes.IntegerType, false)
                .add("height", DataTypes.IntegerType, false);
        for (String c : PART_COLUMNS) {
            t = t.add(c, DataTypes.createArrayType(DataTypes.FloatType, false), true)
                    .add(c + "_score", DataTypes.FloatType, false);
        }
        return t;
    }

    /** One frame's row. */
    static Row toRow(String videoId, int frame, HolisticLandmarks lm) {
        Object[] v = new Object[5 + 2 * PARTS.size()];
        v[0] = videoId;
        v[1] = frame;
        v[2] = lm.timestampMs();
        v[3] = lm.imageWidth();
        v[4] = lm.imageHeight();
        for (int i = 0; i < PARTS.size(); i++) {
            LandmarkSet s = lm.part(PARTS.get(i));
            v[5 + 2 * i] = s.isPresent() ? s.toArray() : null;
            v[6 + 2 * i] = s.score();
        }
        return RowFactory.create(v);
    }

    /**
     * The landmarks a frame row holds (as {@link #toRow} wrote them, or as read back from Parquet).
     *
     * @throws InvalidInputException when the row does not have the frames schema's columns
     */
    public static HolisticLandmarks toLandmarks(Row row) {
        LandmarkSet[] sets = new LandmarkSet[PARTS.size()];
        for (int i = 0; i < PARTS.size(); i++) {
            String c = PART_COLUMNS.get(i);
            int at = index(row, c);
            if (row.isNullAt(at)) {
                sets[i] = LandmarkSet.absent(PARTS.get(i));
            } else {
                float[] values = floats(row.getList(at), c);
                sets[i] = LandmarkSet.of(PARTS.get(i), values, 0, row.getFloat(index(row, c + "_score")));
            }
        }
        return new HolisticLandmarks(
                row.getLong(index(row, "timestamp_ms")),
                row.getInt(index(row, "width")),
                row.getInt(index(row, "height")),
                sets[0],
                sets[1],
                sets[4],
                sets[2],
                sets[3]);
    }

    /** A column's index: by the row's own schema (read rows) or the frames schema ({@link #toRow}'s rows). */
    static int index(Row row, String column) {
        return row.schema() != null ? row.fieldIndex(column) : FRAMES.fieldIndex(column);
    }

    private static float[] floats(List<Object> list, String column) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            Object o = list.get(i);
            if (!(o instanceof Float x)) {
                throw new InvalidInputException("column " + column + " must hold floats, held " + o);
            }
            f[i] = x;
        }
        return f;
    }
}
