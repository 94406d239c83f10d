package io.kubenetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlNodeTest {

    private static List<YamlNode> docs(String yaml) {
        return YamlNode.loadAll("lab.yaml", new StringReader(yaml));
    }

    private static YamlNode doc(String yaml) {
        List<YamlNode> d = docs(yaml);
        assertThat(d).hasSize(1);
        return d.get(0);
    }

    private static ConfigException configError(Runnable r) {
        return catchThrowableOfType(ConfigException.class, r::run);
    }

    @Test
    void rootHasEmptyPathAndChildrenDottedPaths() {
        YamlNode root = doc("""
                a:
                  b:
                    - x: 1
                    - x: 2
                """);
        assertThat(root.file()).isEqualTo("lab.yaml");
        assertThat(root.path()).isEmpty();
        assertThat(root.line()).isEqualTo(1);
        YamlNode b = root.require("a").require("b");
        assertThat(b.path()).isEqualTo("a.b");
        assertThat(b.line()).isEqualTo(3);
        List<YamlNode> items = b.items();
        assertThat(items).extracting(YamlNode::path).containsExactly("a.b[0]", "a.b[1]");
        assertThat(items.get(1).require("x").path()).isEqualTo("a.b[1].x");
        assertThat(items.get(1).require("x").line()).isEqualTo(4);
        assertThat(items.get(1).require("x").integer()).isEqualTo(2);
    }

    @Test
    void errorsNameFileLineAndField() {
        YamlNode root = doc("""
                name: lab
                nodes:
                  - name: node1
                    address: nope
                """);
        YamlNode addr = root.require("nodes").items().get(0).require("address");
        ConfigException e = addr.error("bad address");
        assertThat(e.file()).isEqualTo("lab.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("nodes[0].address");
        assertThat(e.reason()).isEqualTo("bad address");
        assertThat(e).hasMessage("lab.yaml:4: nodes[0].address: bad address");
    }

    @Test
    void entriesKeepDocumentOrder() {
        YamlNode root = doc("z: 1\na: 2\nm: 3\n");
        assertThat(root.entries().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void unknownFieldIsRejectedWithItsLine() {
        YamlNode root = doc("""
                name: lab
                nodez: []
                """);
        ConfigException e = configError(() -> root.checkFields("name", "nodes"));
        assertThat(e.file()).isEqualTo("lab.yaml");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("nodez");
        assertThat(e.reason()).startsWith("unknown field \"nodez\" (known: ").contains("name").contains("nodes");
    }

    @Test
    void knownFieldsPass() {
        YamlNode root = doc("name: lab\nnodes: []\n");
        assertThat(root.checkFields("name", "nodes", "hosts")).isSameAs(root);
    }

    @Test
    void duplicateKeysAreRejected() {
        ConfigException e = configError(() -> docs("""
                name: a
                runtime: netns
                name: b
                """));
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo("lab.yaml");
        assertThat(e.reason()).contains("duplicate").contains("name");
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void duplicateNestedKeysAreRejected() {
        ConfigException e = configError(() -> docs("""
                nodes:
                  - name: node1
                    address: 10.100.0.2
                    address: 10.100.0.3
                """));
        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("duplicate").contains("address");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void duplicateKeyMessageNamesBothLines() {
        ConfigException e = configError(() -> docs("a:\n  b:\n    c: 1\n    d: 2\n    c: 3\n"));
        assertThat(e.field()).isEqualTo("a.b.c");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.reason()).isEqualTo("duplicate key \"c\" (first defined at line 3)");
        assertThat(e).hasMessage("lab.yaml:5: a.b.c: duplicate key \"c\" (first defined at line 3)");
    }

    @Test
    void duplicateKeysInLaterDocumentsAreRejected() {
        ConfigException e = configError(() -> docs("a: 1\n---\nb: 1\nb: 2\n"));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("b");
    }

    @Test
    void aliasesAreNotMistakenForDuplicates() {
        YamlNode root = doc("base: &x {k: v}\none: *x\ntwo: *x\n");
        assertThat(root.require("two").stringMap()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void sameKeyInSiblingMappingsIsFine() {
        YamlNode root = doc("nodes:\n  - name: a\n  - name: b\n");
        assertThat(root.require("nodes").items()).hasSize(2);
    }

    @Test
    void malformedYamlNamesFileAndLine() {
        ConfigException e = configError(() -> docs("""
                name: lab
                nodes:
                  - name: node1
                   bad: [
                """));
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo("lab.yaml");
        assertThat(e.line()).isBetween(3, 5);
        assertThat(e.field()).isNull();
        assertThat(e.reason()).startsWith("malformed YAML: ");
        assertThat(e.getMessage()).startsWith("lab.yaml:" + e.line() + ": malformed YAML");
    }

    @Test
    void unclosedQuoteIsMalformed() {
        ConfigException e = configError(() -> docs("a: 1\nb: \"unclosed\n"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).startsWith("malformed YAML");
        assertThat(e.line()).isGreaterThan(0);
    }

    @Test
    void tabIndentationIsMalformedAtItsLine() {
        ConfigException e = configError(() -> docs("a: 1\nb:\n\t- x\n"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).startsWith("malformed YAML");
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void multiDocumentSkipsEmptyDocuments() {
        List<YamlNode> d = docs("""
                ---
                a: 1
                ---
                ---
                # only a comment
                ---
                b: 2
                ---
                ~
                """);
        assertThat(d).hasSize(2);
        assertThat(d.get(0).require("a").integer()).isEqualTo(1);
        assertThat(d.get(1).require("b").integer()).isEqualTo(2);
        assertThat(d.get(1).line()).isEqualTo(7);
    }

    @Test
    void emptyInputHasNoDocuments() {
        assertThat(docs("")).isEmpty();
        assertThat(docs("# nothing\n")).isEmpty();
    }

    @Test
    void loadAllFromFileUsesThePathAsName(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.yaml");
        Files.writeString(f, "a: x\n");
        List<YamlNode> d = YamlNode.loadAll(f);
        assertThat(d).hasSize(1);
        assertThat(d.get(0).file()).isEqualTo(f.toString());
        assertThat(d.get(0).require("a").string()).isEqualTo("x");
    }

    @Test
    void missingFileIsAConfigError(@TempDir Path dir) {
        Path f = dir.resolve("missing.yaml");
        ConfigException e = configError(() -> YamlNode.loadAll(f));
        assertThat(e).isNotNull();
        assertThat(e.file()).isEqualTo(f.toString());
        assertThat(e.reason()).startsWith("cannot read file");
    }

    @Test
    void requireReportsTheMissingChildPath() {
        YamlNode root = doc("""
                nodeNetwork:
                  cidr: 10.100.0.0/24
                """);
        ConfigException e = configError(() -> root.require("nodeNetwork").require("gateway"));
        assertThat(e.field()).isEqualTo("nodeNetwork.gateway");
        assertThat(e.reason()).isEqualTo("is required");
        assertThat(e.line()).isEqualTo(2);
    }

    @Test
    void nullValuesCountAsAbsent() {
        YamlNode root = doc("a: ~\nb: null\nc:\nd: x\n");
        assertThat(root.get("a")).isEmpty();
        assertThat(root.get("b")).isEmpty();
        assertThat(root.get("c")).isEmpty();
        assertThat(root.get("missing")).isEmpty();
        assertThat(root.get("d")).isPresent();
        assertThat(root.optString("a", "def")).isEqualTo("def");
        assertThat(root.optString("d", "def")).isEqualTo("x");
        assertThatThrownBy(() -> root.require("c")).isInstanceOf(ConfigException.class).hasMessageContaining("c: is required");
    }

    @Test
    void typeChecks() {
        YamlNode root = doc("""
                s: text
                n: 42
                q: "42"
                f: 1.5
                t: true
                l: [a, b]
                m: {k: v}
                big: 99999999999
                """);
        assertThat(root.require("s").string()).isEqualTo("text");
        assertThat(root.require("n").string()).isEqualTo("42");
        assertThat(root.require("n").integer()).isEqualTo(42);
        assertThat(root.require("t").bool()).isTrue();
        assertThat(root.require("l").strings()).containsExactly("a", "b");
        assertThat(root.require("l").isSequence()).isTrue();
        assertThat(root.require("m").isMapping()).isTrue();
        assertThat(root.require("m").stringMap()).isEqualTo(Map.of("k", "v"));

        assertThat(configError(() -> root.require("q").integer()).reason()).isEqualTo("must be an integer");
        assertThat(configError(() -> root.require("f").integer()).reason()).isEqualTo("must be an integer");
        assertThat(configError(() -> root.require("s").integer()).field()).isEqualTo("s");
        assertThat(configError(() -> root.require("big").integer()).reason()).isEqualTo("must be an integer, got \"99999999999\"");
        assertThat(configError(() -> root.require("s").bool()).reason()).isEqualTo("must be true or false");
        assertThat(configError(() -> root.require("l").string()).reason()).isEqualTo("must be a string");
        assertThat(configError(() -> root.require("m").items()).reason()).isEqualTo("must be a list");
        assertThat(configError(() -> root.require("l").entries()).reason()).isEqualTo("must be a mapping (key: value)");
        assertThat(configError(() -> root.require("m").strings()).field()).isEqualTo("m");
        ConfigException inList = configError(() -> doc("l: [a, [b]]\n").require("l").strings());
        assertThat(inList.field()).isEqualTo("l[1]");
        assertThat(inList.reason()).isEqualTo("must be a string");
    }

    @Test
    void boolAcceptsYaml11Spellings() {
        YamlNode root = doc("a: yes\nb: on\nc: True\nd: no\ne: off\nf: false\n");
        assertThat(root.require("a").bool()).isTrue();
        assertThat(root.require("b").bool()).isTrue();
        assertThat(root.require("c").bool()).isTrue();
        assertThat(root.require("d").bool()).isFalse();
        assertThat(root.require("e").bool()).isFalse();
        assertThat(root.require("f").bool()).isFalse();
    }

    @Test
    void nonScalarKeysAreRejected() {
        YamlNode root = doc("? [a, b]\n: v\n");
        ConfigException e = configError(root::entries);
        assertThat(e.reason()).isEqualTo("keys must be plain strings");
    }

    @Test
    void stringMapRejectsNestedValues() {
        YamlNode root = doc("labels:\n  app: {x: y}\n");
        ConfigException e = configError(() -> root.require("labels").stringMap());
        assertThat(e.field()).isEqualTo("labels.app");
        assertThat(e.reason()).isEqualTo("must be a string");
    }

    @Test
    void toPlainConvertsRecursively() {
        YamlNode root = doc("""
                a: 1
                b: [x, {c: d}]
                """);
        assertThat(root.toPlain()).isEqualTo(Map.of("a", "1", "b", List.of("x", Map.of("c", "d"))));
    }
}
