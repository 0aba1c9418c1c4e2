package io.github.kslr.train;

import io.github.kslr.api.InvalidInputException;
import io.github.kslr.api.LandmarkPart;
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
 * @param handDropout chance that one hand (either, equally likely) goes missing for a run of 20-60 % of the frames,
 *        as a landmarker loses a hand (the ISLR 2023 winners' hand dropout)
 * @param timeMask chance that a run of up to 20 % of the frames loses every point (the winners' time masking)
 * @param noSignHandMix chance that a no-sign window takes one hand's track from another no-sign window (mirrored
 *        where that brings a hand to the side taken): no-sign stays no-sign whatever each hand does, and a signer
 *        at rest may show either hand, both or none, while one recording session shows only one habit
 * @param noSignEmpty chance that a no-sign window loses every point of every frame, as the landmarker reports it
 *        when nobody is in view: the commonest no-sign of a deployed camera, which a data set recorded with a
 *        signer always in view may hold in one session only (or none)
 * @param handShift both hands moved together against the body, the same offset in every frame, uniform in +-this
 *        in x and in y ({@link Perturbations#shiftHands}): signers hold the same sign higher, lower or more to one
 *        side
 */
public record Augmentation(
        double flipProbability,
        double maxRotationDegrees,
        double minScale,
        double maxAspect,
        double maxShift,
        double noise,
        double tempoProbability,
        double minSpeed,
        double maxSpeed,
        double maxStart,
        double handDropout,
        double timeMask,
        double noSignHandMix,
        double noSignEmpty,
        double handShift) {

    public Augmentation {
        check(flipProbability >= 0 && flipProbability <= 1, "flipProbability", flipProbability, "[0, 1]");
        check(maxRotationDegrees >= 0 && maxRotationDegrees <= 90, "maxRotationDegrees", maxRotationDegrees, "[0, 90]");
        check(minScale > 0 && minScale <= 1, "minScale", minScale, "(0, 1]");
        check(maxAspect >= 0 && maxAspect < 0.5, "maxAspect", maxAspect, "[0, 0.5)");
        check(maxShift >= 0 && maxShift <= 1, "maxShift", maxShift, "[0, 1]");
        check(noise >= 0 && noise <= 0.1, "noise", noise, "[0, 0.1]");
        check(tempoProbability >= 0 && tempoProbability <= 1, "tempoProbability", tempoProbability, "[0, 1]");
        check(
                minSpeed > 0 && minSpeed <= maxSpeed && maxSpeed <= 4,
                "minSpeed/maxSpeed",
                minSpeed,
                "0 < minSpeed <= maxSpeed <= 4");
        check(maxStart >= 0, "maxStart", maxStart, ">= 0");
        check(handDropout >= 0 && handDropout <= 1, "handDropout", handDropout, "[0, 1]");
        check(timeMask >= 0 && timeMask <= 1, "timeMask", timeMask, "[0, 1]");
        check(noSignHandMix >= 0 && noSignHandMix <= 1, "noSignHandMix", noSignHandMix, "[0, 1]");
        check(noSignEmpty >= 0 && noSignEmpty <= 1, "noSignEmpty", noSignEmpty, "[0, 1]");
        check(handShift >= 0 && handShift <= 0.5, "handShift", handShift, "[0, 0.5]");
    }

    private static void check(boolean ok, String name, double value, String expected) {
        if (!ok || Double.isNaN(value)) {
            throw new InvalidInputException("augmentation " + name + " = " + value + ", expected " + expected);
        }
    }

    /**
     * Chance of hand dropout in {@link #defaults()}: chosen by cross-validation over recording sessions (README,
     * "Training for signers the model never saw").
     */
    public static final double DEFAULT_HAND_DROPOUT = 0.3;

    /**
     * Chance of emptying a no-sign window in {@link #defaults()}: chosen by cross-validation over recording sessions
     * (README, "Training for signers the model never saw").
     */
    public static final double DEFAULT_NO_SIGN_EMPTY = 0.2;

    /** The defaults used for the demo model and by {@code kslr train}. */
    public static Augmentation defaults() {
        return new Augmentation(
                0.5,
                12,
                0.8,
                0.05,
                0.1,
                0.004,
                0.8,
                0.65,
                1.45,
                1.5,
                DEFAULT_HAND_DROPOUT,
                0,
                0,
                DEFAULT_NO_SIGN_EMPTY,
                0);
    }

    /** No augmentation at all. */
    public static Augmentation none() {
        return new Augmentation(0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0);
    }

    /** The same augmentation with another hand-dropout chance. */
    public Augmentation withHandDropout(double chance) {
        return withLaterChanges(chance, timeMask, noSignHandMix, noSignEmpty, handShift);
    }

    /** The same augmentation with another time-masking chance. */
    public Augmentation withTimeMask(double chance) {
        return withLaterChanges(handDropout, chance, noSignHandMix, noSignEmpty, handShift);
    }

    /** The same augmentation with another no-sign hand-mixing chance. */
    public Augmentation withNoSignHandMix(double chance) {
        return withLaterChanges(handDropout, timeMask, chance, noSignEmpty, handShift);
    }

    /** The same augmentation with another chance of emptying a no-sign window. */
    public Augmentation withNoSignEmpty(double chance) {
        return withLaterChanges(handDropout, timeMask, noSignHandMix, chance, handShift);
    }

    /** The same augmentation with another largest hand shift. */
    public Augmentation withHandShift(double largest) {
        return withLaterChanges(handDropout, timeMask, noSignHandMix, noSignEmpty, largest);
    }

    /**
     * The same augmentation with other values of the five changes added after the first report's recipe (each off
     * unless a recipe asks for it).
     */
    private Augmentation withLaterChanges(
            double handDropoutChance,
            double timeMaskChance,
            double noSignHandMixChance,
            double noSignEmptyChance,
            double largestHandShift) {
        return new Augmentation(
                flipProbability,
                maxRotationDegrees,
                minScale,
                maxAspect,
                maxShift,
                noise,
                tempoProbability,
                minSpeed,
                maxSpeed,
                maxStart,
                handDropoutChance,
                timeMaskChance,
                noSignHandMixChance,
                noSignEmptyChance,
                largestHandShift);
    }

    /**
     * Empties the no-sign window {@code window[off..off + length)} (every point missing) with chance
     * {@link #noSignEmpty}, drawing from {@code r} only when that chance is not 0 (so that recipes without it train
     * exactly as before).
     */
    void emptyNoSign(float[] window, int off, int length, Random r) {
        if (noSignEmpty > 0 && r.nextDouble() < noSignEmpty) {
            java.util.Arrays.fill(window, off, off + length, 0f);
        }
    }

    /**
     * Gives the no-sign window {@code window} one hand's track (either, equally likely) from the no-sign window
     * {@code donor}, mirroring the donor first where its other hand is the one it shows more (and the layout can be
     * mirrored). {@code tmp} (one window) is scratch; {@code donor} is left as it was.
     */
    void mixNoSignHand(Perturbations p, float[] window, float[] donor, float[] tmp, int frames, Random r) {
        LandmarkPart side = r.nextBoolean() ? LandmarkPart.LEFT_HAND : LandmarkPart.RIGHT_HAND;
        LandmarkPart other = side == LandmarkPart.LEFT_HAND ? LandmarkPart.RIGHT_HAND : LandmarkPart.LEFT_HAND;
        if (p.canMirror() && p.framesWith(donor, 0, frames, side) < p.framesWith(donor, 0, frames, other)) {
            p.mirror(donor, 0, tmp, 0, frames);
        } else {
            System.arraycopy(donor, 0, tmp, 0, frames * p.layout().size());
        }
        p.copyPart(tmp, 0, window, 0, frames, side);
    }

    /**
     * Augments the raw window {@code src[srcOff..]} into {@code dst[dstOff..]} ({@code frames} frames), using
     * {@code tmp} (one window) as scratch.
     */
    void apply(Perturbations p, float[] src, int srcOff, float[] dst, int dstOff, float[] tmp, int frames, Random r) {
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
        // Drawn only when switched on, so that recipes without them train exactly as before.
        if (handShift > 0) {
            float hx = (float) (handShift * (2 * r.nextDouble() - 1));
            float hy = (float) (handShift * (2 * r.nextDouble() - 1));
            p.shiftHands(dst, dstOff, frames, hx, hy);
        }
        if (handDropout > 0 && r.nextDouble() < handDropout) {
            int len = Math.max(1, (int) Math.round(frames * (0.2 + 0.4 * r.nextDouble())));
            int start = r.nextInt(frames - len + 1);
            p.clearPart(dst, dstOff, start, len, r.nextBoolean() ? LandmarkPart.LEFT_HAND : LandmarkPart.RIGHT_HAND);
        }
        if (timeMask > 0 && r.nextDouble() < timeMask) {
            int len = 1 + r.nextInt(Math.max(1, frames / 5));
            int start = r.nextInt(frames - len + 1);
            java.util.Arrays.fill(
                    dst,
                    dstOff + start * p.layout().size(),
                    dstOff + (start + len) * p.layout().size(),
                    0f);
        }
    }
}
