package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenetlab.model.PodRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Issue 14's graph and ui on the article lab: `kubenetlab graph -o x.svg` draws it (valid SVG naming the
 * nodes, the pods and the ClusterIP 10.3.241.152); the page `kubenetlab ui` points at, in headless
 * Chromium, shows the same and follows a `kubectl scale` within seconds, without a reload.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GraphUiIT extends ArticleKubectlBase {
    GraphUiIT() {
        super("knl-i14g", "i14g");
    }

    private List<String> podNames() {
        return lab.pods().stream().map(PodRecord::name).sorted().toList();
    }

    /** The pods the API lists now. */
    private List<String> apiPodNames() {
        List<String> out = new ArrayList<>();
        for (var p : lab.api().get("/api/v1/namespaces/default/pods").path("items")) out.add(p.path("metadata").path("name").asText());
        return out;
    }

    /** Every text of an SVG document (its vertices' lines, edge labels, box titles). */
    private static List<String> svgTexts(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // Graphviz names the SVG 1.1 DTD
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) out.add(texts.item(i).getTextContent());
        return out;
    }

    @Test
    @Order(1)
    void graphDrawsTheLabAsValidSvg() throws Exception {
        Path svg = tmp.resolve("x.svg");
        ItSupport.CliResult r = ItSupport.cli("graph", "--lab", name, "-o", svg.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> texts = svgTexts(svg);
        assertThat(texts).contains("node1", "node2", "ClusterIP 10.3.241.152", "cbr0", "10.0.1.1/24", "10.0.2.1/24", "router", "lb",
                "ext-client", "database", "203.0.113.100:80");
        assertThat(texts).containsAll(podNames());
        for (PodRecord p : lab.pods()) assertThat(texts).as(p.name()).contains(p.ip().toString());
        Files.createDirectories(Path.of("target"));
        Files.copy(svg, Path.of("target/graph-article.svg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ItSupport.CliResult dot = ItSupport.cli("graph", "--lab", name, "-o", "dot");
        assertThat(dot.exit()).as(dot.err()).isZero();
        assertThat(dot.out()).startsWith("digraph \"lab " + name + "\" {").contains("\"svc:default/service-test\" -> \"pod:default/");
        Path html = tmp.resolve("x.html");
        ItSupport.CliResult h = ItSupport.cli("graph", "--lab", name, "-o", html.toString());
        assertThat(h.exit()).as(h.err()).isZero();
        assertThat(Files.readString(html)).contains("window.KNL_DATA = {\"version\":", "<svg", "ClusterIP 10.3.241.152");
    }

    @Test
    @Order(2)
    void theUiShowsTheLabAndFollowsAScaleLive() throws Exception {
        ItSupport.CliResult r = ItSupport.cli("ui", "--lab", name);
        assertThat(r.exit()).as(r.err()).isZero();
        String url = r.out().strip();
        assertThat(url).matches("https://127\\.0\\.0\\.1:\\d+/ui/\\?token=[0-9a-f]{64}");
        String uiToken = url.substring(url.indexOf("token=") + 6);
        assertThat(Files.readString(lab.kubeconfig())).as("the ui's token is not the API's").doesNotContain(uiToken);

        List<String> before = podNames();
        try (HeadlessChromium chromium = HeadlessChromium.start(1400, 900)) {
            chromium.navigate(url);
            List<String> expected = new ArrayList<>(List.of("node1", "node2", "ClusterIP 10.3.241.152"));
            expected.addAll(before);
            chromium.awaitTexts(expected, Duration.ofSeconds(15));
            assertThat(chromium.eval("location.search").asText()).as("the token leaves the address bar").isEmpty();

            // A click on a pod shows its details.
            PodRecord pod = lab.pods().stream().filter(p -> p.name().startsWith("service-test-") && p.ownerName() != null).findFirst().orElseThrow();
            chromium.eval("Array.from(document.querySelectorAll('#graph g.node')).find(g => g.querySelector('title').textContent === 'pod:default/"
                    + pod.name() + "').dispatchEvent(new MouseEvent('click', {bubbles: true}))");
            String details = chromium.eval("document.getElementById('panel-details').textContent").asText();
            assertThat(details).contains(pod.name(), pod.ip().toString(), pod.node(), "owner");

            kubectl.ok(lab, "scale", "deployment", "service-test", "--replicas=3");
            long t0 = System.nanoTime();
            String added = null;
            while (added == null && System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos()) {
                added = apiPodNames().stream().filter(n -> !before.contains(n)).findFirst().orElse(null);
                if (added == null) Thread.sleep(20);
            }
            assertThat(added).as("kubectl scale made a third pod").isNotNull();
            Duration shown = chromium.awaitTexts(List.of(added), Duration.ofSeconds(3));
            System.out.println("GraphUiIT: the new pod " + added + " was on the page " + shown.toMillis() + " ms after the API listed it");
            PodRecord third = lab.pod(added);
            chromium.awaitTexts(List.of(third.ip().toString()), Duration.ofSeconds(5));
            chromium.screenshot(Path.of("target/ui-screenshot.png"));
            assertThat(Files.size(Path.of("target/ui-screenshot.png"))).isGreaterThan(10_000);
            Set<String> edges = Set.copyOf(chromium.graphTexts());
            assertThat(edges).contains("8080");

            // The trace form runs a real traced connection and shows it (issue 14's ui).
            chromium.eval("(() => { const f = document.getElementById('trace-form'); f.from.value = 'service-test-client1';"
                    + " f.to.value = 'service-test:80'; f.requestSubmit(); return true; })()");
            String verdict = "";
            long t1 = System.nanoTime();
            while (!verdict.startsWith("reached pod") && System.nanoTime() - t1 < Duration.ofSeconds(30).toNanos()) {
                Thread.sleep(200);
                verdict = chromium.eval("(document.getElementById('trace-verdict') || {textContent: ''}).textContent").asText();
            }
            assertThat(verdict).as("the trace panel's verdict").startsWith("reached pod default/service-test-");
            assertThat(chromium.eval("document.getElementById('trace-text').textContent").asText())
                    .contains("10.3.241.152:80").contains("DNAT 10.3.241.152:80 -> ").contains("answered: HTTP/1.0 200 OK");
            chromium.screenshot(Path.of("target/ui-trace-screenshot.png"));
        }
    }
}
