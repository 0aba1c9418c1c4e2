package io.github.kslr.examples.media;

import io.github.kslr.api.Checks;
import io.github.kslr.api.InvalidInputException;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.font.TextAttribute;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.text.AttributedString;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Writes lines of text (Latin and Khmer) onto the top of a BGR image, white on a darkened band, with Java2D: OpenCV's
 * {@code putText} has only the Hershey fonts, which hold no Khmer. Java2D shapes Khmer (subscript consonants, vowels
 * placed before their consonant) with a Khmer font installed on the system ({@link #khmerFont()} says which; the
 * Khmer OS fonts of Debian's {@code fonts-khmeros}, LGPL-2.1+, are preferred, then Noto Sans Khmer, Windows' Khmer
 * UI and macOS's Khmer Sangam MN). Characters a Khmer font lacks (Latin ones, in some) are drawn with Java's
 * {@code SansSerif}. Without any Khmer font, {@link #canDrawKhmer()} is false and the caller should give Latin text
 * (Khmer characters would come out as boxes).
 *
 * <p><b>Thread-safety.</b> Not thread-safe (it reuses one band image); one painter a thread.
 */
public final class CaptionPainter {
    private static final List<String> PREFERRED = List.of(
            "Khmer OS System",
            "Khmer OS",
            "Noto Sans Khmer",
            "Khmer OS Content",
            "Khmer OS Siemreap",
            "Khmer OS Battambang",
            "Khmer UI",
            "Khmer Sangam MN",
            "Hanuman");
    /** A consonant with a subscript consonant: a font that shows these holds Khmer. */
    private static final String KHMER_PROBE = "\u1780\u17d2\u1781";

    private final int width;
    private final int lineHeight;
    private final int maxLines;
    private final Font latin;
    private final Font khmer;
    private final BufferedImage band;
    private final byte[] bandPixels;

    /**
     * A painter for images {@code width} pixels wide, at most {@code maxLines} lines, with the Khmer font
     * {@link #findKhmerFont()} finds.
     */
    public CaptionPainter(int width, int height, int maxLines) {
        this(width, height, maxLines, findKhmerFont().orElse(null));
    }

    /**
     * As {@link #CaptionPainter(int, int, int)} with a given Khmer font (null: none, draw Latin only).
     *
     * @throws InvalidInputException for a non-positive size or line count
     */
    public CaptionPainter(int width, int height, int maxLines, Font khmerFont) {
        Checks.positive(width, "width");
        Checks.positive(height, "height");
        Checks.positive(maxLines, "maxLines");
        // Text a thirtieth of the picture's height: legible on a phone-sized clip, small on a tall one.
        float size = Math.max(14f, height / 30f);
        this.width = width;
        this.latin = new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(size);
        this.khmer = khmerFont == null ? null : khmerFont.deriveFont(Font.PLAIN, size);
        // Khmer stacks marks above and subscripts below its consonants: a line needs about twice the font size.
        this.lineHeight = Math.round(size * 2f);
        this.maxLines = maxLines;
        int bandHeight = Math.min(height, lineHeight * maxLines + lineHeight / 4);
        this.band = new BufferedImage(width, bandHeight, BufferedImage.TYPE_3BYTE_BGR);
        this.bandPixels = ((DataBufferByte) band.getRaster().getDataBuffer()).getData();
    }

    /**
     * The first installed font that shows Khmer: one of the preferred families, else any that can; empty when there
     * is none. Scanning the installed fonts takes a moment: call it once.
     */
    public static Optional<Font> findKhmerFont() {
        String[] families = GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT);
        Set<String> installed = Set.of(families);
        for (String name : PREFERRED) {
            if (installed.contains(name)) {
                Font f = new Font(name, Font.PLAIN, 12);
                if (f.canDisplayUpTo(KHMER_PROBE) == -1) {
                    return Optional.of(f);
                }
            }
        }
        for (String name : families) {
            Font f = new Font(name, Font.PLAIN, 12);
            if (f.canDisplayUpTo(KHMER_PROBE) == -1 && !isLogical(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private static boolean isLogical(String family) {
        return Set.of(Font.DIALOG, Font.DIALOG_INPUT, Font.MONOSPACED, Font.SANS_SERIF, Font.SERIF)
                .contains(family);
    }

    /** Whether Khmer text comes out as Khmer (a Khmer font was found or given). */
    public boolean canDrawKhmer() {
        return khmer != null;
    }

    /** The Khmer font's family name, or empty when there is none. */
    public Optional<String> khmerFont() {
        return Optional.ofNullable(khmer).map(Font::getFamily);
    }

    /** Height in pixels of the band {@link #draw} darkens. */
    public int bandHeight() {
        return band.getHeight();
    }

    /**
     * Draws {@code lines} (at most the painter's {@code maxLines}; empty strings are skipped) onto the top of
     * {@code bgr}, a continuous 8-bit BGR image of the painter's width. Nothing is drawn when there is no line.
     *
     * @throws InvalidInputException for an image of another type or width, or too many lines
     */
    public void draw(Mat bgr, List<String> lines) {
        Checks.notNull(bgr, "bgr");
        Checks.notNull(lines, "lines");
        if (bgr.type() != opencv_core.CV_8UC3
                || bgr.cols() != width
                || bgr.rows() < band.getHeight()
                || !bgr.isContinuous()) {
            throw new InvalidInputException("expected a continuous 8-bit BGR image " + width + " wide and at least "
                    + band.getHeight() + " high, got " + bgr.cols() + "x" + bgr.rows() + " of OpenCV type "
                    + bgr.type());
        }
        if (lines.size() > maxLines) {
            throw new InvalidInputException("at most " + maxLines + " caption lines, got " + lines.size());
        }
        List<String> shown =
                lines.stream().filter(s -> s != null && !s.isEmpty()).toList();
        if (shown.isEmpty()) {
            return;
        }
        int height = Math.min(band.getHeight(), lineHeight * shown.size() + lineHeight / 4);
        int bytes = height * width * 3;
        ByteBuffer pixels = bgr.createBuffer();
        pixels.get(0, bandPixels, 0, bytes);
        java.awt.Graphics2D g = band.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f));
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, width, height);
            g.setComposite(AlphaComposite.SrcOver);
            g.setColor(Color.WHITE);
            int margin = lineHeight / 3;
            for (int i = 0; i < shown.size(); i++) {
                AttributedString text = styled(shown.get(i));
                // Baseline two thirds down the line: room above for Khmer's marks, below for its subscripts.
                g.drawString(text.getIterator(), margin, Math.round(lineHeight * (i + 0.7f) + lineHeight / 8f));
            }
        } finally {
            g.dispose();
        }
        pixels.put(0, bandPixels, 0, bytes);
    }

    /** The text with each run in the font that has its characters: the Khmer font where it can, else SansSerif. */
    private AttributedString styled(String s) {
        AttributedString text = new AttributedString(s);
        text.addAttribute(TextAttribute.FONT, latin);
        if (khmer == null) {
            return text;
        }
        int start = -1;
        for (int i = 0; i <= s.length(); ) {
            int cp = i < s.length() ? s.codePointAt(i) : -1;
            boolean inKhmer = cp >= 0 && khmer.canDisplay(cp) && !Character.isWhitespace(cp);
            if (inKhmer && start < 0) {
                start = i;
            } else if (!inKhmer && start >= 0) {
                text.addAttribute(TextAttribute.FONT, khmer, start, i);
                start = -1;
            }
            i += cp < 0 ? 1 : Character.charCount(cp);
        }
        return text;
    }
}
