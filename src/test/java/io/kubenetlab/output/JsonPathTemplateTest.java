package io.kubenetlab.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPathTemplateTest {

    private static Map<String, Object> pod(String name, String ip, String node, Map<String, String> labels, String... containers) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        meta.put("namespace", "default");
        if (!labels.isEmpty()) meta.put("labels", new LinkedHashMap<>(labels));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("nodeName", node);
        spec.put("containers", java.util.Arrays.stream(containers).map(c -> Map.of("name", c)).toList());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Running");
        if (ip != null) status.put("podIP", ip);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("apiVersion", "v1");
        p.put("kind", "Pod");
        p.put("metadata", meta);
        p.put("spec", spec);
        p.put("status", status);
        return p;
    }

    private static final Map<String, Object> A = pod("service-test-6b9c5-abcde", "10.0.1.2", "node1", Map.of("app", "service_test_pod"), "simple-http");
    private static final Map<String, Object> B = pod("service-test-6b9c5-fghjk", "10.0.2.2", "node2", Map.of("app", "service_test_pod"), "simple-http");
    private static final Map<String, Object> C = pod("service-test-client1", "10.0.1.3", "node1", Map.of(), "test-client1", "sidecar");
    private static final Map<String, Object> LIST = KubeView.list(List.of(A, B, C));

    private static String render(String template, Object root) {
        return JsonPathTemplate.render(template, root);
    }

    @Test
    void wildcardResultsAreSpaceSeparated() {
        assertThat(render("{.items[*].status.podIP}", LIST)).isEqualTo("10.0.1.2 10.0.2.2 10.0.1.3");
        assertThat(render("{.items[*].metadata.name}", LIST))
                .isEqualTo("service-test-6b9c5-abcde service-test-6b9c5-fghjk service-test-client1");
    }

    @Test
    void singleValues() {
        assertThat(render("{.metadata.name}", C)).isEqualTo("service-test-client1");
        assertThat(render("{.status.podIP}", A)).isEqualTo("10.0.1.2");
        assertThat(render("{.kind}", LIST)).isEqualTo("List");
        assertThat(render("{.items[1].spec.nodeName}", LIST)).isEqualTo("node2");
        assertThat(render("{.items[-1:].metadata.name}", LIST)).isEqualTo("service-test-client1");
    }

    @Test
    void pathForms() {
        assertThat(render("{$.kind}", LIST)).isEqualTo("List");
        assertThat(render("{kind}", LIST)).isEqualTo("List");
        assertThat(render("{ .kind }", LIST)).isEqualTo("List");
        assertThat(render("{['kind']}", LIST)).isEqualTo("List");
    }

    @Test
    void literalTextAroundExpressions() {
        assertThat(render("plain text", LIST)).isEqualTo("plain text");
        assertThat(render("", LIST)).isEmpty();
        assertThat(render("IP=<{.status.podIP}> on {.spec.nodeName}.", A)).isEqualTo("IP=<10.0.1.2> on node1.");
    }

    @Test
    void quotedStrings() {
        assertThat(render("{\"\\n\"}", LIST)).isEqualTo("\n");
        assertThat(render("{\"\\t\"}", LIST)).isEqualTo("\t");
        assertThat(render("{\"\\r\\n\"}", LIST)).isEqualTo("\r\n");
        assertThat(render("{\"a b\"}", LIST)).isEqualTo("a b");
        assertThat(render("{\"}\"}", LIST)).isEqualTo("}");
        assertThat(render("{\"say \\\"hi\\\"\"}", LIST)).isEqualTo("say \"hi\"");
        assertThat(render("{.kind}{\"\\n\"}", LIST)).isEqualTo("List\n");
    }

    @Test
    void escapedBackslashIsNotAnEscapeSequence() {
        // template text {"a\\nb"}: an escaped backslash followed by n, as Go's strconv.Unquote reads it
        assertThat(render("{\"a\\\\nb\"}", LIST)).isEqualTo("a\\nb");
        assertThat(render("{\"\\\\\"}", LIST)).isEqualTo("\\");
        assertThat(render("{\"c:\\\\temp\"}", LIST)).isEqualTo("c:\\temp");
    }

    @Test
    void rangeOverItems() {
        assertThat(render("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", LIST))
                .isEqualTo("service-test-6b9c5-abcde\nservice-test-6b9c5-fghjk\nservice-test-client1\n");
        assertThat(render("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}", LIST))
                .isEqualTo("service-test-6b9c5-abcde\t10.0.1.2\nservice-test-6b9c5-fghjk\t10.0.2.2\nservice-test-client1\t10.0.1.3\n");
    }

    @Test
    void rangeWithTextBeforeAndAfter() {
        assertThat(render("IPs:{range .items[*]} {.status.podIP}{end}.", LIST)).isEqualTo("IPs: 10.0.1.2 10.0.2.2 10.0.1.3.");
    }

    @Test
    void nestedRange() {
        assertThat(render("{range .items[*]}{.metadata.name}:{range .spec.containers[*]}[{.name}]{end};{end}", LIST))
                .isEqualTo("service-test-6b9c5-abcde:[simple-http];service-test-6b9c5-fghjk:[simple-http];"
                        + "service-test-client1:[test-client1][sidecar];");
    }

    @Test
    void currentElement() {
        assertThat(render("{range .items[*].spec.nodeName}<{@}>{end}", LIST)).isEqualTo("<node1><node2><node1>");
    }

    @Test
    void rangeOverNothingPrintsNothing() {
        assertThat(render("{range .items[*]}x{end}", KubeView.list(List.of()))).isEmpty();
        assertThat(render("a{range .nope[*]}x{end}b", LIST)).isEqualTo("ab");
    }

    @Test
    void missingPathsPrintNothing() {
        assertThat(render("{.metadata.nope}", A)).isEmpty();
        assertThat(render("{.items[*].status.hostIP}", LIST)).isEmpty();
        assertThat(render("[{.spec.nope.deeper}]", A)).isEqualTo("[]");
        assertThat(render("{.items[7].metadata.name}", LIST)).isEmpty();
    }

    @Test
    void partlyMissingValuesAreSkipped() {
        assertThat(render("{.items[*].metadata.labels.app}", LIST)).isEqualTo("service_test_pod service_test_pod");
        Map<String, Object> noIp = pod("pending", null, "node2", Map.of(), "c");
        assertThat(render("{.items[*].status.podIP}", KubeView.list(List.of(noIp, A)))).isEqualTo("10.0.1.2");
    }

    @Test
    void filters() {
        assertThat(render("{.items[?(@.spec.nodeName==\"node1\")].metadata.name}", LIST))
                .isEqualTo("service-test-6b9c5-abcde service-test-client1");
    }

    @Test
    void mapsAndListsPrintAsJson() {
        assertThat(render("{.metadata.labels}", A)).isEqualTo("{\"app\":\"service_test_pod\"}");
        assertThat(render("{.spec.containers}", C)).isEqualTo("[{\"name\":\"test-client1\"},{\"name\":\"sidecar\"}]");
    }

    @Test
    void numbersAndBooleans() {
        Map<String, Object> d = Map.of("spec", Map.of("replicas", 2), "status", Map.of("ready", true));
        assertThat(render("{.spec.replicas}/{.status.ready}", d)).isEqualTo("2/true");
    }

    @Test
    void malformedTemplates() {
        assertThatThrownBy(() -> render("{.metadata.name", A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed action");
        assertThatThrownBy(() -> render("{\"}", A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed action");
        assertThatThrownBy(() -> render("{end}", A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("{end} without {range}");
        assertThatThrownBy(() -> render("{range .items[*]}{.x}", LIST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("{range} without {end}");
    }

    @Test
    void splitAlternatesTextAndActions() {
        assertThat(JsonPathTemplate.split("a{.b}c{\"}\"}{end}")).containsExactly("a", "{.b}", "c", "{\"}\"}", "{end}");
    }
}
