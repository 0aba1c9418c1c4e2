package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.FeatureLayout;
import io.github.kslr.api.InvalidInputException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Labelled recordings' frames to the {@link SignDataset} {@code kslr train} reads: each recording cut into windows by
 * {@link RecordingWindows}, labels numbered in sorted order, sessions numbered as {@link #sessionNumbers} says.
 * {@code kslr dataset} and {@code kslr-spark}'s dataset step both build their datasets here, so that the same
 * recordings and labels give the same arrays.
 *
 * <p><b>Thread-safety.</b> Stateless; safe to call from any thread.
 */
public final class RecordingDataset {

    /**
     * One recording's windows.
     *
     * @param windows {@code count} windows of the window's frames x features, flat
     * @param count   number of windows
     * @param frames  frames the recording had
     * @param padded  whether the recording was shorter than a window (its last frame repeated)
     */
    public record ClipWindows(float[] windows, int count, int frames, boolean padded) {}

    /**
     * One labelled recording's windows.
     *
     * @param label   its label
     * @param session its session name, or null without sessions
     */
    public record Recording(String label, String session, ClipWindows windows) {}

    private RecordingDataset() {}

    /**
     * Cuts one recording into windows.
     *
     * @param timestampsMs the first {@code n} are the frames' timestamps, strictly increasing
     * @param features     the first {@code n} x {@code layout.size()} are the frames' features, frame after frame
     * @param n            frames in the recording, at least 1
     * @throws InvalidInputException when there is no frame, the arrays are shorter than {@code n} frames, or the
     *                               timestamps do not increase
     */
    public static ClipWindows cut(
            RecordingWindows windowing, FeatureLayout layout, long[] timestampsMs, float[] features, int n) {
        Checks.notNull(windowing, "windowing");
        Checks.notNull(layout, "layout");
        Checks.notNull(timestampsMs, "timestampsMs");
        Checks.notNull(features, "features");
        if (n < 1) {
            throw new InvalidInputException("a recording needs at least one frame, had " + n);
        }
        int f = layout.size();
        if (timestampsMs.length < n || features.length / f < n) {
            throw new InvalidInputException("a recording of " + n + " frames needs " + n + " timestamps and " + n * f
                    + " features, had " + timestampsMs.length + " and " + features.length);
        }
        int frames = windowing.frames();
        int[] resampled = windowing.resample(java.util.Arrays.copyOf(timestampsMs, n));
        int[][] windows = windowing.cut(resampled);
        float[] x = new float[windows.length * frames * f];
        for (int w = 0; w < windows.length; w++) {
            for (int t = 0; t < frames; t++) {
                System.arraycopy(features, windows[w][t] * f, x, (w * frames + t) * f, f);
            }
        }
        return new ClipWindows(x, windows.length, n, resampled.length < frames);
    }

    /**
     * The dataset of the recordings' windows, in recording order; labels are numbered in sorted order, sessions by
     * {@link #sessionNumbers} (0 for a recording without one); with {@code windowing.fps() > 0} the dataset carries
     * that frame rate.
     *
     * @throws InvalidInputException when there is no recording
     */
    public static SignDataset assemble(FeatureLayout layout, RecordingWindows windowing, List<Recording> recordings) {
        Checks.notNull(layout, "layout");
        Checks.notNull(windowing, "windowing");
        Checks.notNull(recordings, "recordings");
        if (recordings.isEmpty()) {
            throw new InvalidInputException("a dataset needs at least one recording, got none");
        }
        List<String> labels = List.copyOf(
                new TreeSet<>(recordings.stream().map(Recording::label).toList()));
        Map<String, Integer> sessions =
                sessionNumbers(recordings.stream().map(Recording::session).toList());
        int windowFloats = windowing.frames() * layout.size();
        int count = recordings.stream().mapToInt(r -> r.windows().count()).sum();
        float[] x = new float[count * windowFloats];
        int[] y = new int[count];
        int[] session = new int[count];
        int k = 0;
        for (Recording r : recordings) {
            ClipWindows w = r.windows();
            System.arraycopy(w.windows(), 0, x, k * windowFloats, w.count() * windowFloats);
            for (int j = 0; j < w.count(); j++, k++) {
                y[k] = labels.indexOf(r.label());
                session[k] = r.session() == null ? 0 : sessions.get(r.session());
            }
        }
        // With a rate the windows have one known rate: kslr train writes it into the model, and recognizers resample
        // live frames to it.
        return new SignDataset(layout, windowing.frames(), x, y, session, labels).withFrameRate(windowing.fps());
    }

    /**
     * Session name -> number: whole numbers as they are when every name is one, else 1, 2, ... in sorted order.
     * Null names (recordings without a session) are ignored.
     */
    public static Map<String, Integer> sessionNumbers(Collection<String> sessionNames) {
        Checks.notNull(sessionNames, "sessionNames");
        TreeSet<String> names = new TreeSet<>();
        for (String s : sessionNames) {
            if (s != null) {
                names.add(s);
            }
        }
        Map<String, Integer> numbers = new TreeMap<>();
        boolean allNumbers = names.stream().allMatch(s -> s.matches("\\d{1,9}"));
        int next = 1;
        for (String s : names) {
            numbers.put(s, allNumbers ? Integer.parseInt(s) : next++);
        }
        return numbers;
    }
}
