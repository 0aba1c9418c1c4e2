package io.github.kslr.train;

import io.github.kslr.api.InvalidInputException;
import java.util.Random;

/**
 * Random changes applied to each training window each epoch (the first report used flips, rotation and noise).
 * Values are drawn from a per-window, per-epoch random source, so training is deterministic for a seed.
 *
 * <p><b>Thread-safety.</b> Immutable.
 *
 * @param flipProbability chance of a horizontal flip that also swaps hands and pose left/right partners
 * @param maxRotationDegrees rotation about the image centre, uniform in +-this
 * @param minScale smallest zoom about the image centre (largest is {@code 1 / minScale})
 * @param maxAspect stretch of x against y, uniform in +-this (a different camera aspect)
 * @param maxShift shift of x and y, uniform in +-this
 * @param noise standard deviation of Gaussian noise on x and y of present points
 * @param tempoProbability chance of resampling the window at another speed
 * @param minSpeed slowest resampling speed
 * @param maxSpeed fastest resampling speed
 * @param maxStart largest number of frames the resampled window may start late
 */
public record Augmentation(double flipProbability, double maxRotationDegrees, double minScale, double maxAspect,
        double maxShift, double noise, double tempoProbability, double minSpeed, double maxSpeed, double maxStart) {

    public Augmentation {
        check(flipProbability >= 0 && flipProbability <= 1, "flipProbability", flipProbability, "[0, 1]");
        check(maxRotationDegrees >= 0 && maxRotationDegrees <= 90, "maxRotationDegrees", maxRotationDegrees,
                "[0, 90]");
        check(minScale > 0 && minScale <= 1, "minScale", minScale, "(0, 1]");
        check(maxAspect >= 0 && maxAspect < 0.5, "maxAspect", maxAspect, "[0, 0.5)");
        check(maxShift >= 0 && maxShift <= 1, "maxShift", maxShift, "[0, 1]");
        check(noise >= 0 && noise <= 0.1, "noise", noise, "[0, 0.1]");
        check(tempoProbability >= 0 && tempoProbability <= 1, "tempoProbability", tempoProbability, "[0, 1]");
        check(minSpeed > 0 && minSpeed <= maxSpeed && maxSpeed <= 4, "minSpeed/maxSpeed", minSpeed,
                "0 < minSpeed <= maxSpeed <= 4");
        check(maxStart >= 0, "maxStart", maxStart, ">= 0");
    }

    private static void check(boolean ok, String name, double value, String expected) {
        if (!ok || Double.isNaN(value)) {
            throw new InvalidInputException("augmentation " + name + " = " + value + ", expected " + expected);
        }
    }

    /** The defaults used for the demo model. */
    public static Augmentation defaults() {
        return new Augmentation(0.5, 12, 0.8, 0.05, 0.1, 0.004, 0.8, 0.65, 1.45, 1.5);
    }

    /** No augmentation at all. */
    public static Augmentation none() {
        return new Augmentation(0, 0, 1, 0, 0, 0, 0, 1, 1, 0);
    }

    /**
     * Augments the raw window {@code src[srcOff..]} into {@code dst[dstOff..]} ({@code frames} frames), using
     * {@code tmp} (one window) as scratch.
     */
    void apply(Perturbations p, float[] src, int srcOff, float[] dst, int dstOff, float[] tmp, int frames,
            Random r) {
        int w = frames * p.layout().size();
        if (r.nextDouble() < tempoProbability) {
            double speed = minSpeed + (maxSpeed - minSpeed) * r.nextDouble();
            p.tempo(src, srcOff, tmp, 0, frames, speed, maxStart * r.nextDouble());
        } else {
            System.arraycopy(src, srcOff, tmp, 0, w);
        }
        if (r.nextDouble() < flipProbability) {
            p.mirror(tmp, 0, dst, dstOff, frames);
        } else {
            System.arraycopy(tmp, 0, dst, dstOff, w);
        }
        double angle = Math.toRadians(maxRotationDegrees * (2 * r.nextDouble() - 1));
        if (angle != 0) {
            p.rotate(dst, dstOff, frames, angle, 0.5f, 0.5f);
        }
        double s = StrictMath.exp(StrictMath.log(minScale) * (2 * r.nextDouble() - 1));
        double a = maxAspect * (2 * r.nextDouble() - 1);
        float dx = (float) (maxShift * (2 * r.nextDouble() - 1));
        float dy = (float) (maxShift * (2 * r.nextDouble() - 1));
        p.affine(dst, dstOff, frames, (float) (s * (1 + a)), (float) (s * (1 - a)), 0.5f, 0.5f, dx, dy);
        if (noise > 0) {
            p.noise(dst, dstOff, frames, (float) noise, r);
        }
    }
}
