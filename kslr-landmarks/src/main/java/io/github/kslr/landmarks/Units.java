package io.github.kslr.landmarks;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tracking units ({@link PoseTracking}, {@link HandTracking}, {@link FaceTracking}) share to make and free
 * the runners and croppers they own.
 *
 * <p><b>Thread-safety.</b> Stateless.
 */
final class Units {
    private static final Logger LOG = LoggerFactory.getLogger(Units.class);

    private Units() {}

    /** A runner of {@code model}'s session; {@code batch} 0 for variable batches. */
    static BatchRunner runner(LandmarkerModels models, HolisticModel model, int batch) {
        return new BatchRunner(models.session(model), model, batch);
    }

    /** A cropper for {@code model}'s input, sized as its runner's. */
    static RoiCropper cropper(HolisticModel model, BatchRunner runner) {
        return model.newCropper(runner.width(), runner.height());
    }

    /** Adds {@code t} to {@code made} (to be closed should a later step fail) and returns it. */
    static <T extends AutoCloseable> T keep(List<AutoCloseable> made, T t) {
        made.add(t);
        return t;
    }

    /** Closes what was made before a failure, attaching close errors to it. */
    static void closeAll(List<? extends AutoCloseable> made, RuntimeException failure) {
        for (AutoCloseable c : made) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /** Closes every one of {@code all}, logging (not throwing) what fails. */
    static void closeQuietly(List<? extends AutoCloseable> all) {
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }
}
