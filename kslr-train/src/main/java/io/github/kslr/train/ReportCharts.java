package io.github.kslr.train;

import io.github.kslr.api.Checks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's PNG charts, drawn with JFreeChart: the confusion matrix as a heat map and the training curves
 * (loss and accuracy per epoch). Rendering needs no display ({@code java.awt.headless}).
 *
 * <p><b>Thread-safety.</b> Stateless; safe from any thread.
 */
public final class ReportCharts {

    private ReportCharts() {}

    /** Writes the confusion matrix of {@code e} (rows: truth, columns: predicted; share of each row) as a PNG. */
    public static void confusionMatrix(Evaluation e, String title, Path png) {
        Checks.notNull(e, "evaluation");
        List<String> labels = e.labels();
        int c = labels.size();
        int[][] m = e.confusion();
        // Only non-empty cells are drawn; the background is white.
        int cells = 0;
        for (int[] row : m) {
            for (int v : row) {
                cells += v > 0 ? 1 : 0;
            }
        }
        double[] xs = new double[cells];
        double[] ys = new double[cells];
        double[] zs = new double[cells];
        int k = 0;
        for (int t = 0; t < c; t++) {
            int support = e.support(t);
            for (int p = 0; p < c; p++) {
                if (m[t][p] == 0) {
                    continue;
                }
                xs[k] = p;
                // Truth on the vertical axis, first label at the top.
                ys[k] = c - 1 - t;
                zs[k] = (double) m[t][p] / support;
                k++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("confusion", new double[][] {xs, ys, zs});
        String[] names = labels.toArray(new String[0]);
        String[] reversed = new String[c];
        for (int i = 0; i < c; i++) {
            reversed[i] = names[c - 1 - i];
        }
        SymbolAxis xAxis = new SymbolAxis("predicted", names);
        xAxis.setVerticalTickLabels(true);
        xAxis.setGridBandsVisible(false);
        SymbolAxis yAxis = new SymbolAxis("true", reversed);
        yAxis.setGridBandsVisible(false);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(1.0);
        renderer.setBlockHeight(1.0);
        renderer.setBlockAnchor(org.jfree.chart.ui.RectangleAnchor.CENTER);
        LookupPaintScale scale = new LookupPaintScale(0, 1.0001, Color.WHITE);
        for (int i = 0; i <= 20; i++) {
            double v = i / 20.0;
            // White at 0 to dark blue at 1; any non-zero share is visibly tinted.
            float s = (float) (i == 0 ? 0 : 0.15 + 0.85 * v);
            scale.add(i == 0 ? 0 : v - 0.05 + 1e-9, new Color(1f - 0.9f * s, 1f - 0.75f * s, 1f - 0.35f * s));
        }
        renderer.setPaintScale(scale);
        xAxis.setRange(-0.5, c - 0.5);
        yAxis.setRange(-0.5, c - 0.5);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(
                title + String.format(" (accuracy %.4f, n=%d)", e.accuracy(), e.count()),
                new Font(Font.SANS_SERIF, Font.BOLD, 14),
                plot,
                false);
        NumberAxis scaleAxis = new NumberAxis("share of the true class");
        scaleAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        save(chart, png, 900, 820);
    }

    /** Writes loss and accuracy per epoch (training, monitor, validation) as a PNG. */
    public static void trainingCurves(List<EpochStats> history, int bestEpoch, Path png) {
        Checks.notNull(history, "history");
        XYSeries trainLoss = new XYSeries("training loss (augmented, smoothed labels)");
        XYSeries monitorLoss = new XYSeries("monitor loss");
        XYSeries trainAcc = new XYSeries("training accuracy (augmented)");
        XYSeries monitorAcc = new XYSeries("monitor accuracy");
        XYSeries valAcc = new XYSeries("validation accuracy (not used for selection)");
        for (EpochStats s : history) {
            trainLoss.add(s.epoch(), s.trainLoss());
            monitorLoss.add(s.epoch(), s.monitorLoss());
            trainAcc.add(s.epoch(), s.trainAccuracy());
            monitorAcc.add(s.epoch(), s.monitorAccuracy());
            if (!Double.isNaN(s.validationAccuracy())) {
                valAcc.add(s.epoch(), s.validationAccuracy());
            }
        }
        XYSeriesCollection losses = new XYSeriesCollection();
        losses.addSeries(trainLoss);
        losses.addSeries(monitorLoss);
        XYSeriesCollection accs = new XYSeriesCollection();
        accs.addSeries(trainAcc);
        accs.addSeries(monitorAcc);
        if (valAcc.getItemCount() > 0) {
            accs.addSeries(valAcc);
        }
        NumberAxis epochAxis = new NumberAxis("epoch (best: " + bestEpoch + ")");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(epochAxis);
        combined.add(linePlot(losses, "loss"), 1);
        NumberAxis accAxis = new NumberAxis("accuracy");
        XYPlot accPlot = linePlot(accs, "accuracy");
        accPlot.setRangeAxis(accAxis);
        accAxis.setAutoRangeIncludesZero(false);
        combined.add(accPlot, 1);
        JFreeChart chart = new JFreeChart("Training curves", new Font(Font.SANS_SERIF, Font.BOLD, 14), combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        save(chart, png, 900, 700);
    }

    private static XYPlot linePlot(XYSeriesCollection data, String rangeLabel) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        Color[] palette = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C)};
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, palette[i % palette.length]);
        }
        NumberAxis axis = new NumberAxis(rangeLabel);
        axis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, null, axis, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static void save(JFreeChart chart, Path png, int width, int height) {
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
