package io.github.jwtkeyring.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;

class KeyTimelineSvgTest {

    private static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);
    /** Week-long periods and 12-hour tokens: a retire window of a day, wide enough to see. */
    private static final RotationPolicy POLICY = new RotationPolicy(SigningAlgorithm.ES256, WEEK, Duration.ofDays(1),
            Duration.ofHours(12), Duration.ofSeconds(60));
    private static final Path DOCS_PICTURE = Path.of("docs/key-timeline.svg");

    private final Rotation rotation = new Rotation(POLICY, new JdkKeyGenerator(new SecureRandom(), 2048));

    @Test
    void render_drawsOneGroupPerKey_withItsStateAndPhases() throws Exception {
        KeyRing ring = lifeOfARing();
        Instant now = T0.plus(Duration.ofDays(17)).plus(Duration.ofHours(5));

        Document svg = parse(KeyTimelineSvg.render(KeyTimeline.of(ring, POLICY, now)));

        List<Element> groups = elements(svg, "g");
        assertThat(groups).extracting(g -> g.getAttribute("data-kid"))
                .containsExactlyElementsOf(ring.keys().stream().map(ManagedKey::kid).toList());
        assertThat(groups).extracting(g -> g.getAttribute("data-state")).containsExactly("DESTROYED", "DESTROYED",
                "REVOKED", "ACTIVE", "PENDING");
        Element active = groups.get(3);
        assertThat(elements(active, "rect")).filteredOn(r -> r.getAttribute("class").equals("phase"))
                .extracting(r -> r.getAttribute("data-phase") + (r.hasAttribute("data-planned") ? "+planned" : ""))
                .containsExactly("PENDING", "ACTIVE", "ACTIVE+planned", "RETIRED+planned");
        assertThat(elements(groups.get(2), "path")).hasSize(1);
        assertThat(elements(active, "title").get(0).getTextContent()).startsWith(ring.active().kid() + " (ACTIVE)");
    }

    @Test
    void render_drawsNowAndTheNextRotation_whereTheyAreOnTheAxis() throws Exception {
        KeyRing ring = lifeOfARing();
        Instant now = T0.plus(Duration.ofDays(17)).plus(Duration.ofHours(5));
        KeyTimeline timeline = KeyTimeline.of(ring, POLICY, now);

        Document svg = parse(KeyTimelineSvg.render(timeline));

        double nowX = lineX(svg, "now");
        double nextX = lineX(svg, "next-rotation");
        double from = timeline.from().getEpochSecond();
        double span = timeline.to().getEpochSecond() - from;
        double plot = KeyTimelineSvg.PLOT_RIGHT - KeyTimelineSvg.PLOT_LEFT;
        // the axis runs from 3 % of the span before `from` to 3 % after `to`
        double expectedNow = KeyTimelineSvg.PLOT_LEFT + (now.getEpochSecond() - from + span * 0.03) / (span * 1.06)
                * plot;
        assertThat(nowX).isCloseTo(expectedNow, offset(0.1));
        assertThat(nextX - nowX).isCloseTo(
                Duration.between(now, ring.pending().orElseThrow().metadata().activates()).toSeconds() / (span * 1.06)
                        * plot,
                offset(0.2));
        assertThat(text(svg)).contains("Now 2025-03-20T14:00:00Z, next rotation 2025-03-26T12:00:00Z.");
    }

    @Test
    void render_escapesKids_soThatNoKidCanBreakTheDocument() throws Exception {
        String hostile = "<script>alert(\"x\")</script>&'\u0001\uD800";
        ManagedKey revoked = new ManagedKey(new KeyMetadata(hostile, SigningAlgorithm.ES256, KeyState.REVOKED, T0, T0,
                T0.plus(WEEK), null, T0.plusSeconds(60), POLICY.tokenLifetime()), null);
        KeyRing started = rotation.advance(rotation.bootstrap(T0), T0);
        List<ManagedKey> keys = new ArrayList<>(started.keys());
        keys.add(0, revoked);

        String rendered = KeyTimelineSvg.render(KeyTimeline.of(new KeyRing(1, keys), POLICY, T0.plusSeconds(120)));
        Document svg = parse(rendered);

        assertThat(rendered).doesNotContain("<script").doesNotContain("\u0001");
        assertThat(elements(svg, "g").get(0).getAttribute("data-kid"))
                .isEqualTo("<script>alert(\"x\")</script>&'\uFFFD\uFFFD");
        assertThat(elements(svg, "script")).isEmpty();
    }

    @Test
    void render_usesPresentationAttributesOnly_soAStrictContentSecurityPolicyAllowsIt() {
        String rendered = KeyTimelineSvg.render(KeyTimeline.of(lifeOfARing(), POLICY, T0.plus(Duration.ofDays(17))));

        assertThat(rendered).doesNotContain("<style").doesNotContain("style=").doesNotContain("<script")
                .doesNotContain("href").startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    }

    /**
     * The picture in the README is this renderer's drawing of {@link #lifeOfARing()} with fixed kids. Run with
     * {@code -Dkeyring.docs.update=true} to redraw it after changing the renderer.
     */
    @Test
    void docsPicture_isTheRenderersDrawingOfARealisticRing() throws IOException {
        Instant now = T0.plus(Duration.ofDays(17)).plus(Duration.ofHours(5));
        String rendered = KeyTimelineSvg.render(KeyTimeline.of(withReadableKids(lifeOfARing()), POLICY, now));

        if (Boolean.getBoolean("keyring.docs.update") || !Files.exists(DOCS_PICTURE)) {
            Files.createDirectories(DOCS_PICTURE.getParent());
            Files.writeString(DOCS_PICTURE, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOCS_PICTURE, StandardCharsets.UTF_8))
                .as("%s is out of date: run this test with -Dkeyring.docs.update=true", DOCS_PICTURE)
                .isEqualTo(rendered);
    }

    /**
     * Three weeks of a ring on its schedule: a rotation a week, then an emergency revocation of the ACTIVE key on day
     * 16, seen on day 17 (two keys DESTROYED, one REVOKED, one ACTIVE, one PENDING).
     */
    private KeyRing lifeOfARing() {
        KeyRing ring = rotation.advance(rotation.bootstrap(T0), T0);
        ring = rotation.advance(ring, T0.plus(WEEK));
        ring = rotation.advance(ring, T0.plus(WEEK.multipliedBy(2)));
        Instant compromised = T0.plus(Duration.ofDays(16)).plus(Duration.ofHours(3));
        ring = rotation.revoke(ring, ring.active().kid(), compromised);
        return rotation.advance(ring, T0.plus(Duration.ofDays(17)).plus(Duration.ofHours(5)));
    }

    /** The same ring with fixed kids shaped like RFC 7638 thumbprints, so that the picture does not change. */
    private static KeyRing withReadableKids(KeyRing ring) {
        List<String> kids = List.of("6mJ0sQXc3bQ1jY4kZ2lKfV8rTnA0Wd5uHhE7pLxGmCw",
                "Qm9Yx2L0vC8dKs1RrT4uW7zA3nE6bJfHgP5iOyD0kSo",
                "Zx4Tq8PdN2hW6mLk0Vr3Ja9Cs7Ub1EoGyFiK5Rn8QwE", "b3Vt7Hn1Xq5Ls9Dk2Wm6Rj0Pc4Fy8Gz3Ae7Ui1Oh5Nk",
                "Lr8Nc2Vx6Qm0Th4Bk9Fs3Wp7Jd1Gy5Az8Ue2Ki6Oq0Ms");
        List<ManagedKey> keys = new ArrayList<>();
        for (int i = 0; i < ring.keys().size(); i++) {
            ManagedKey key = ring.keys().get(i);
            KeyMetadata m = key.metadata();
            keys.add(new ManagedKey(new KeyMetadata(kids.get(i), m.algorithm(), m.state(), m.created(), m.activates(),
                    m.retires(), m.destroyAfter(), m.revoked(), m.maxIssuedLifetime()), key.material().orElse(null)));
        }
        return new KeyRing(ring.version(), keys);
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document document, String name) {
        return elements(document.getDocumentElement(), name);
    }

    private static List<Element> elements(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    private static double lineX(Document svg, String name) {
        Element line = elements(svg, "line").stream().filter(l -> l.getAttribute("class").equals(name)).findFirst()
                .orElseThrow();
        assertThat(line.getAttribute("x1")).isEqualTo(line.getAttribute("x2"));
        return Double.parseDouble(line.getAttribute("x1"));
    }

    private static String text(Document svg) {
        return svg.getDocumentElement().getTextContent();
    }
}
