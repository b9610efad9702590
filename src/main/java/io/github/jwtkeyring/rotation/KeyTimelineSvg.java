package io.github.jwtkeyring.rotation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.rotation.KeyTimeline.Bar;
import io.github.jwtkeyring.rotation.KeyTimeline.Phase;

/**
 * Draws a {@link KeyTimeline} as a standalone SVG 1.1 document: a row per key with its state and kid, its phases as
 * coloured bars (solid where they are past, pale and dashed where they are the schedule), a cross where a key was
 * revoked, a time axis in UTC, a vertical line at the current instant and a dashed one at the next rotation.
 * <p>
 * The layout is fixed (960 pixels wide, one 28-pixel row per key), so the same timeline always gives the same
 * document. It uses presentation attributes only, no {@code <style>}, {@code style=""} or script, so that a page
 * whose Content-Security-Policy allows no inline style can embed it as it is. Every text from the ring goes through
 * {@link #escape(String)}. Each key is a {@code <g class="key" data-kid="…" data-state="…">} and each phase a
 * {@code <rect class="phase" data-phase="…">}, for tests and for whoever wants to script the picture.
 * <p>
 * Long for a drawing class because every element of the picture is here; each method draws one of them.
 */
public final class KeyTimelineSvg {

    static final int WIDTH = 960;
    static final int PLOT_LEFT = 290;
    static final int PLOT_RIGHT = WIDTH - 24;
    static final int TOP = 72;
    static final int ROW = 28;
    static final int BAR = 16;

    /** Okabe–Ito colours, which stay apart for colour-blind readers. */
    private static final Map<KeyState, String> COLOURS = Map.of(KeyState.PENDING, "#E69F00", KeyState.ACTIVE,
            "#009E73", KeyState.RETIRED, "#56B4E9", KeyState.DESTROYED, "#8C8C8C", KeyState.REVOKED, "#D55E00");
    private static final String NOW = "#222222";
    private static final String NEXT = "#0072B2";
    private static final int KID_CHARS = 24;
    /** Tick steps of the time axis, in seconds: the smallest that gives at most eight ticks is used. */
    private static final long[] STEPS = { 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400,
            2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400, 365 * 86400 };
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAYS = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final KeyTimeline timeline;
    private final double fromSeconds;
    private final double spanSeconds;
    private final StringBuilder out = new StringBuilder(8192);

    private KeyTimelineSvg(KeyTimeline timeline) {
        this.timeline = timeline;
        // a margin of 3 % on both sides keeps the first bar's start and the last one's end off the frame
        double span = Math.max(60, seconds(timeline.to()) - seconds(timeline.from()));
        this.fromSeconds = seconds(timeline.from()) - span * 0.03;
        this.spanSeconds = span * 1.06;
    }

    /** The SVG document of {@code timeline}, without an XML declaration (UTF-8). */
    public static String render(KeyTimeline timeline) {
        return new KeyTimelineSvg(timeline).draw();
    }

    private String draw() {
        int rows = timeline.bars().size();
        int axis = TOP + rows * ROW + 4;
        int height = axis + (timeline.omitted() > 0 ? 92 : 72);
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"key-timeline-title\" font-family=\"sans-serif\""
                        + " font-size=\"12\" fill=\"#222222\">\n");
        header();
        grid(axis);
        for (int i = 0; i < rows; i++) {
            bar(timeline.bars().get(i), TOP + i * ROW);
        }
        marker("now", timeline.now(), NOW, null, axis, "end");
        marker("next-rotation", timeline.nextRotation(), NEXT, "5 3", axis, "start");
        legend(axis + 44);
        if (timeline.omitted() > 0) {
            text(12, axis + 72, timeline.omitted() + " older key(s) not shown.");
        }
        return out.append("</svg>\n").toString();
    }

    private void header() {
        out.append("<rect width=\"").append(WIDTH).append("\" height=\"100%\" fill=\"#FFFFFF\"/>\n");
        out.append("<text id=\"key-timeline-title\" x=\"12\" y=\"22\" font-size=\"16\" font-weight=\"bold\">")
                .append(escape("Key ring, version " + timeline.version() + " (" + timeline.algorithm().joseName()
                        + ", a new key every " + human(timeline.period()) + ")"))
                .append("</text>\n");
        text(12, 42, "Now " + instant(timeline.now()) + ", next rotation " + instant(timeline.nextRotation())
                + ". Times in UTC.");
    }

    private void grid(int axis) {
        long step = step();
        long first = ((long) Math.ceil(fromSeconds / step)) * step;
        DateTimeFormatter format = step < 86400 ? MINUTES : DAYS;
        line(PLOT_LEFT, axis, PLOT_RIGHT, axis, "#222222", null, "axis");
        for (long t = first; t <= fromSeconds + spanSeconds; t += step) {
            String x = fmt(x(t));
            out.append("<line x1=\"").append(x).append("\" y1=\"").append(TOP - 4).append("\" x2=\"").append(x)
                    .append("\" y2=\"").append(axis + 4).append("\" stroke=\"#DDDDDD\"/>\n");
            out.append("<text x=\"").append(x).append("\" y=\"").append(axis + 18)
                    .append("\" text-anchor=\"middle\" font-size=\"11\">")
                    .append(escape(format.format(Instant.ofEpochSecond(t)))).append("</text>\n");
        }
    }

    private long step() {
        for (long step : STEPS) {
            if (spanSeconds / step <= 8) {
                return step;
            }
        }
        return STEPS[STEPS.length - 1] * (long) Math.ceil(spanSeconds / STEPS[STEPS.length - 1] / 8);
    }

    private void bar(Bar bar, int y) {
        String colour = COLOURS.get(bar.state());
        boolean gone = !bar.state().holdsMaterial();
        out.append("<g class=\"key\" data-kid=\"").append(escape(bar.kid())).append("\" data-state=\"")
                .append(bar.state()).append("\">\n<title>").append(escape(tooltip(bar))).append("</title>\n");
        out.append("<rect class=\"badge\" x=\"12\" y=\"").append(y + 6).append("\" width=\"76\" height=\"")
                .append(BAR).append("\" rx=\"3\" fill=\"").append(colour).append("\"/>\n");
        out.append("<text x=\"50\" y=\"").append(y + 18).append("\" text-anchor=\"middle\" font-size=\"10\"")
                .append(" font-weight=\"bold\" fill=\"#FFFFFF\">").append(bar.state()).append("</text>\n");
        out.append("<text x=\"96\" y=\"").append(y + 18).append("\" font-family=\"monospace\">")
                .append(escape(shortKid(bar.kid()))).append("</text>\n");
        for (Phase phase : bar.phases()) {
            phase(phase, y + 6, gone);
        }
        if (bar.revoked() != null) {
            cross(x(seconds(bar.revoked())), y + 6 + BAR / 2.0);
        }
        out.append("</g>\n");
    }

    /** A phase, split at now: the past part solid, the scheduled part pale with a dashed outline. */
    private void phase(Phase phase, int y, boolean gone) {
        double from = clamp(x(seconds(phase.from())));
        double to = clamp(x(seconds(phase.to())));
        double now = clamp(x(seconds(timeline.now())));
        String colour = COLOURS.get(phase.state());
        if (now > from) {
            rect(phase.state(), from, Math.min(to, now), y, colour, gone ? "0.45" : "1", null);
        }
        if (to > now) {
            rect(phase.state(), Math.max(from, now), to, y, colour, "0.3", colour);
        }
    }

    private void rect(KeyState phase, double from, double to, int y, String fill, String opacity, String dashed) {
        out.append("<rect class=\"phase\" data-phase=\"").append(phase).append('"');
        if (dashed != null) {
            out.append(" data-planned=\"true\"");
        }
        out.append(" x=\"").append(fmt(from)).append("\" y=\"").append(y).append("\" width=\"")
                .append(fmt(Math.max(1, to - from))).append("\" height=\"").append(BAR).append("\" fill=\"")
                .append(fill).append("\" fill-opacity=\"").append(opacity).append('"');
        if (dashed != null) {
            out.append(" stroke=\"").append(dashed).append("\" stroke-dasharray=\"3 2\"");
        }
        out.append("/>\n");
    }

    private void cross(double x, double y) {
        String c = COLOURS.get(KeyState.REVOKED);
        out.append("<path class=\"revoked\" d=\"M").append(fmt(x - 6)).append(' ').append(fmt(y - 6)).append(" L")
                .append(fmt(x + 6)).append(' ').append(fmt(y + 6)).append(" M").append(fmt(x - 6)).append(' ')
                .append(fmt(y + 6)).append(" L").append(fmt(x + 6)).append(' ').append(fmt(y - 6))
                .append("\" stroke=\"").append(c).append("\" stroke-width=\"3\"/>\n");
    }

    /** A vertical line across every row with its label above, on the side {@code anchor} says. */
    private void marker(String name, Instant at, String colour, String dashes, int axis, String anchor) {
        double x = clamp(x(seconds(at)));
        line(x, TOP - 8, x, axis, colour, dashes, name);
        double labelX = "end".equals(anchor) ? x - 4 : x + 4;
        out.append("<text class=\"").append(name).append("-label\" x=\"").append(fmt(labelX)).append("\" y=\"")
                .append(TOP - 10).append("\" text-anchor=\"").append(anchor).append("\" fill=\"").append(colour)
                .append("\" font-weight=\"bold\">").append("now".equals(name) ? "now" : "next rotation")
                .append("</text>\n");
    }

    private void legend(int y) {
        int x = 12;
        for (KeyState phase : List.of(KeyState.PENDING, KeyState.ACTIVE, KeyState.RETIRED)) {
            out.append("<rect x=\"").append(x).append("\" y=\"").append(y - 10).append("\" width=\"14\" height=\"10\"")
                    .append(" fill=\"").append(COLOURS.get(phase)).append("\"/>\n");
            text(x + 20, y, legendText(phase));
            x += 40 + legendText(phase).length() * 7;
        }
        out.append("<rect x=\"").append(x).append("\" y=\"").append(y - 10).append("\" width=\"14\" height=\"10\"")
                .append(" fill=\"#8C8C8C\" fill-opacity=\"0.3\" stroke=\"#8C8C8C\" stroke-dasharray=\"3 2\"/>\n");
        text(x + 20, y, "scheduled");
        cross(x + 112, y - 5);
        text(x + 124, y, "revoked");
    }

    private static String legendText(KeyState phase) {
        return switch (phase) {
            case PENDING -> "published, not signing";
            case ACTIVE -> "signing";
            default -> "verifying only";
        };
    }

    private void line(double x1, int y1, double x2, int y2, String colour, String dashes, String name) {
        out.append("<line class=\"").append(name).append("\" x1=\"").append(fmt(x1)).append("\" y1=\"").append(y1)
                .append("\" x2=\"").append(fmt(x2)).append("\" y2=\"").append(y2).append("\" stroke=\"")
                .append(colour).append("\" stroke-width=\"").append(dashes == null ? "1.5" : "2").append('"');
        if (dashes != null) {
            out.append(" stroke-dasharray=\"").append(dashes).append('"');
        }
        out.append("/>\n");
    }

    private void text(int x, int y, String text) {
        out.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\">")
                .append(escape(text)).append("</text>\n");
    }

    private double x(double seconds) {
        return PLOT_LEFT + (seconds - fromSeconds) / spanSeconds * (PLOT_RIGHT - PLOT_LEFT);
    }

    private static double clamp(double x) {
        return Math.max(PLOT_LEFT, Math.min(PLOT_RIGHT, x));
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String tooltip(Bar bar) {
        StringBuilder text = new StringBuilder(bar.kid()).append(" (").append(bar.state()).append(')');
        for (Phase phase : bar.phases()) {
            text.append('\n').append(legendText(phase.state())).append(": ").append(instant(phase.from()))
                    .append(" to ").append(instant(phase.to()));
        }
        if (bar.revoked() != null) {
            text.append("\nrevoked: ").append(instant(bar.revoked()));
        }
        return text.toString();
    }

    private static String shortKid(String kid) {
        return kid.length() <= KID_CHARS ? kid : kid.substring(0, KID_CHARS - 1) + "\u2026";
    }

    private static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String human(Duration duration) {
        long days = duration.toDays();
        if (days > 0 && duration.equals(Duration.ofDays(days))) {
            return days == 1 ? "day" : days + " days";
        }
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /**
     * {@code text} as XML character data or attribute value: markup characters as entities, and characters XML 1.0
     * does not allow (control characters, lone surrogates) as U+FFFD, so that no kid can break the document.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                case '\n', '\t' -> escaped.append(c);
                default -> escaped.append(allowed(text, i) ? c : '\uFFFD');
            }
        }
        return escaped.toString();
    }

    private static boolean allowed(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
        }
        return c >= 0x20 && c != 0xFFFE && c != 0xFFFF;
    }
}
