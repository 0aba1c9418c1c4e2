package io.github.kslr.train;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import io.github.kslr.onnx.writer.OnnxGraphWriter;
import io.github.kslr.onnx.writer.WeightPrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Several networks of one shape, trained separately from different seeds, whose probabilities are averaged: an
 * ensemble of seeds. Its members vote on the same standardised features, so one exported graph holds them all
 * ({@link #writeLogits} returns {@code log(mean of the members' softmax)}, which the export's final softmax turns back
 * into that mean exactly).
 *
 * <p>An ensemble is not trained as one network: {@link #backward} refuses, and the trainer trains the members one by
 * one ({@link TrainingConfig#ensemble()}).
 *
 * <p><b>Thread-safety.</b> As {@link SequenceNetwork}.
 */
public final class EnsembleNetwork implements SequenceNetwork {

    private final List<SequenceNetwork> members;

    /** An ensemble of {@code members} (at least two, all of one shape). */
    public EnsembleNetwork(List<SequenceNetwork> members) {
        Checks.notNull(members, "members");
        if (members.size() < 2) {
            throw new InvalidInputException("an ensemble needs at least 2 members, got " + members.size());
        }
        NetworkShape shape = members.get(0).shape();
        for (SequenceNetwork m : members) {
            if (!Checks.notNull(m, "member").shape().equals(shape)) {
                throw new InvalidInputException("ensemble members differ in shape: " + shape + " and " + m.shape());
            }
        }
        this.members = List.copyOf(members);
    }

    /** The members, in training order. */
    public List<SequenceNetwork> members() {
        return members;
    }

    @Override
    public NetworkShape shape() {
        return members.get(0).shape();
    }

    @Override
    public NetworkFamily family() {
        return members.get(0).family();
    }

    @Override
    public int parameterCount() {
        return members.stream().mapToInt(SequenceNetwork::parameterCount).sum();
    }

    /** A concatenated copy of the members' parameters (an ensemble has no live array of its own). */
    @Override
    public float[] parameters() {
        float[] all = new float[parameterCount()];
        int off = 0;
        for (SequenceNetwork m : members) {
            System.arraycopy(m.parameters(), 0, all, off, m.parameterCount());
            off += m.parameterCount();
        }
        return all;
    }

    @Override
    public SequenceNetwork withParameters(float[] params) {
        Checks.length(params, parameterCount(), "params");
        List<SequenceNetwork> copies = new ArrayList<>();
        int off = 0;
        for (SequenceNetwork m : members) {
            float[] p = new float[m.parameterCount()];
            System.arraycopy(params, off, p, 0, p.length);
            copies.add(m.withParameters(p));
            off += p.length;
        }
        return new EnsembleNetwork(copies);
    }

    @Override
    public Scratch newScratch() {
        List<Scratch> s = new ArrayList<>();
        for (SequenceNetwork m : members) {
            s.add(m.newScratch());
        }
        return new EnsembleScratch(s, new float[shape().classes()]);
    }

    private record EnsembleScratch(List<Scratch> members, float[] probabilities) implements Scratch {}

    @Override
    public void forward(float[] u, int off, Scratch s, float dropout, Random rng) {
        if (dropout > 0) {
            throw new UnsupportedOperationException("an ensemble is trained member by member, not as one network");
        }
        EnsembleScratch es = (EnsembleScratch) s;
        float[] p = es.probabilities();
        java.util.Arrays.fill(p, 0f);
        for (int i = 0; i < members.size(); i++) {
            Scratch ms = es.members().get(i);
            members.get(i).forward(u, off, ms, 0f, null);
            FloatMath.axpy(1f, ms.probabilities(), 0, p, 0, p.length);
        }
        float inv = 1f / members.size();
        for (int k = 0; k < p.length; k++) {
            p[k] *= inv;
        }
    }

    @Override
    public double loss(Scratch s, int label, float smoothing) {
        return SequenceNetwork.crossEntropy(s.probabilities(), label, smoothing);
    }

    @Override
    public void backward(float[] u, int off, Scratch s, int label, float smoothing, float[] grad) {
        throw new UnsupportedOperationException("an ensemble is trained member by member, not as one network");
    }

    /** Each member's softmax, averaged, then the logarithm (the export's softmax of it is the average itself). */
    @Override
    public String writeLogits(OnnxGraphWriter g, String features, WeightPrecision precision, String scope) {
        String sum = null;
        for (int i = 0; i < members.size(); i++) {
            String logits = members.get(i).writeLogits(g, features, precision, scope + "m" + i + "_");
            String p = g.node("Softmax", List.of(logits), OnnxGraphWriter.intAttr("axis", 1));
            sum = sum == null ? p : g.node("Add", List.of(sum, p));
        }
        String mean = g.node("Mul", List.of(sum, g.floatScalar(scope + "ensemble_weight", 1f / members.size())));
        return g.node("Log", List.of(mean));
    }

    @Override
    public String description() {
        return "ensemble of " + members.size() + " " + family().description() + "s";
    }

    @Override
    public String toString() {
        return description();
    }
}
