package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Within-class covariance normalisation of a sign embedding (WCCN, as speaker verification treats an utterance
 * embedding before cosine scoring): {@code normalise((x - mean) W)}, where {@code W = (S + shrinkage I)^(-1/2)} and
 * {@code S} is the covariance of the embedder's training windows around their own sign's mean, scaled to a mean
 * eigenvalue of 1. Directions in which takes of one sign differ between signers and sessions are shrunk, so that a
 * sign taught from one take lies closer to other people's takes of it than to other signs. The statistics come from
 * the embedder's training data only (never from signs taught later); it is a fixed linear map written into the
 * embedder's graph, so callers see just another unit-length embedding.
 *
 * <p>Why by hand: the fit is a class-mean loop and one symmetric eigendecomposition (Commons Math); applying it is a
 * matrix-vector product that must match the graph's {@code Sub}, {@code MatMul} and normalisation.
 *
 * <p><b>Thread-safety.</b> Immutable.
 */
public final class EmbeddingWhitening {

    private final float[] mean;
    /** Symmetric {@code [size, size]}, row-major. */
    private final float[] matrix;

    private final double shrinkage;

    private EmbeddingWhitening(float[] mean, float[] matrix, double shrinkage) {
        this.mean = mean;
        this.matrix = matrix;
        this.shrinkage = shrinkage;
    }

    /**
     * Fits the map to {@code count} unit embeddings of {@code size} floats and their class indices.
     *
     * @param shrinkage added to the scaled within-class covariance's diagonal before it is inverted; larger whitens
     *     less (must be positive, so that directions no training sign varies in stay finite)
     * @throws InvalidInputException for sizes that disagree, a non-positive shrinkage, or fewer than two classes
     */
    public static EmbeddingWhitening fit(float[] embeddings, int[] labels, int count, int size, double shrinkage) {
        Checks.notNull(embeddings, "embeddings");
        Checks.notNull(labels, "labels");
        Checks.positive(size, "size");
        if (count < 0 || (long) count * size != embeddings.length || labels.length != count) {
            throw new InvalidInputException(count + " windows of " + size + " floats need " + (long) count * size
                    + " floats and " + count + " labels, got " + embeddings.length + " and " + labels.length);
        }
        if (!(shrinkage > 0 && Double.isFinite(shrinkage))) {
            throw new InvalidInputException("whitening shrinkage must be positive and finite, was " + shrinkage);
        }
        int classes = 0;
        for (int y : labels) {
            if (y < 0) {
                throw new InvalidInputException("class indices must not be negative, got " + y);
            }
            classes = Math.max(classes, y + 1);
        }
        double[][] sums = new double[classes][size];
        int[] counts = new int[classes];
        double[] total = new double[size];
        for (int i = 0; i < count; i++) {
            counts[labels[i]]++;
            for (int k = 0; k < size; k++) {
                double v = embeddings[i * size + k];
                sums[labels[i]][k] += v;
                total[k] += v;
            }
        }
        if (Arrays.stream(counts).filter(c -> c > 0).count() < 2) {
            throw new InvalidInputException("whitening needs windows of at least two classes");
        }
        double[][] scatter = new double[size][size];
        double[] centred = new double[size];
        for (int i = 0; i < count; i++) {
            int y = labels[i];
            for (int k = 0; k < size; k++) {
                centred[k] = embeddings[i * size + k] - sums[y][k] / counts[y];
            }
            for (int a = 0; a < size; a++) {
                double ca = centred[a];
                for (int b = a; b < size; b++) {
                    scatter[a][b] += ca * centred[b];
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < size; a++) {
            trace += scatter[a][a];
        }
        if (!(trace > 0)) {
            throw new InvalidInputException("the windows of every class have the same embedding: nothing to whiten");
        }
        // Scaled to a mean eigenvalue of 1 so that one shrinkage means the same for any embedder.
        double scale = size / trace;
        RealMatrix s = new Array2DRowRealMatrix(size, size);
        for (int a = 0; a < size; a++) {
            for (int b = a; b < size; b++) {
                double v = scatter[a][b] * scale + (a == b ? shrinkage : 0);
                s.setEntry(a, b, v);
                s.setEntry(b, a, v);
            }
        }
        EigenDecomposition eig = new EigenDecomposition(s);
        double[] values = eig.getRealEigenvalues();
        RealMatrix v = eig.getV();
        float[] matrix = new float[size * size];
        for (int a = 0; a < size; a++) {
            for (int b = a; b < size; b++) {
                double w = 0;
                for (int j = 0; j < size; j++) {
                    w += v.getEntry(a, j) * v.getEntry(b, j) / Math.sqrt(values[j]);
                }
                matrix[a * size + b] = (float) w;
                matrix[b * size + a] = (float) w;
            }
        }
        float[] mean = new float[size];
        for (int k = 0; k < size; k++) {
            mean[k] = (float) (total[k] / count);
        }
        return new EmbeddingWhitening(mean, matrix, shrinkage);
    }

    /** Floats in one embedding. */
    public int size() {
        return mean.length;
    }

    /** The shrinkage it was fitted with. */
    public double shrinkage() {
        return shrinkage;
    }

    /**
     * Whitens {@code count} embeddings in place ({@code embeddings[offset ..]}, {@link #size()} floats each), each
     * then of unit length as the graph's {@link #write} gives it.
     */
    public void applyInPlace(float[] embeddings, int offset, int count) {
        int e = mean.length;
        Checks.notNull(embeddings, "embeddings");
        if (offset < 0 || embeddings.length - offset < (long) count * e) {
            throw new InvalidInputException(count + " embeddings of " + e + " floats from " + offset + " do not fit in "
                    + embeddings.length + " floats");
        }
        float[] centred = new float[e];
        float[] out = new float[e];
        float[] unit = new float[e];
        for (int i = 0; i < count; i++) {
            int at = offset + i * e;
            for (int k = 0; k < e; k++) {
                centred[k] = embeddings[at + k] - mean[k];
            }
            Arrays.fill(out, 0f);
            for (int a = 0; a < e; a++) {
                float c = centred[a];
                for (int b = 0; b < e; b++) {
                    out[b] += c * matrix[a * e + b];
                }
            }
            TemporalConvNetwork.normalise(out, unit);
            System.arraycopy(unit, 0, embeddings, at, e);
        }
    }

    /** Writes the map after {@code embedding} ({@code [batch, size]}); returns the whitened unit embedding. */
    String write(OnnxGraphWriter g, String embedding) {
        int e = mean.length;
        String centred = g.node("Sub", List.of(embedding, g.initializer("whitening_mean", mean, e)));
        String whitened = g.node("MatMul", List.of(centred, g.initializer("whitening_matrix", matrix, e, e)));
        return TemporalConvNetwork.writeNormalised(g, whitened, "whitening_");
    }

    @Override
    public String toString() {
        return "EmbeddingWhitening[size=" + mean.length + ", shrinkage=" + shrinkage + "]";
    }
}
