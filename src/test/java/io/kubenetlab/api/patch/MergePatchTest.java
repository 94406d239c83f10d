package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.kubenetlab.api.patch.J.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class MergePatchTest {

    /** RFC 7386 Appendix A, every row. */
    static Stream<Arguments> appendixA() {
        return Stream.of(
                arguments("{'a':'b'}", "{'a':'c'}", "{'a':'c'}"),
                arguments("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"),
                arguments("{'a':'b'}", "{'a':null}", "{}"),
                arguments("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"),
                arguments("{'a':['b']}", "{'a':'c'}", "{'a':'c'}"),
                arguments("{'a':'c'}", "{'a':['b']}", "{'a':['b']}"),
                arguments("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"),
                arguments("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"),
                arguments("['a','b']", "['c','d']", "['c','d']"),
                arguments("{'a':'b'}", "['c']", "['c']"),
                arguments("{'a':'foo'}", "null", "null"),
                arguments("{'a':'foo'}", "'bar'", "'bar'"),
                arguments("{'e':null}", "{'a':1}", "{'e':null,'a':1}"),
                arguments("[1,2]", "{'a':'b','c':null}", "{'a':'b'}"),
                arguments("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"));
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @MethodSource("appendixA")
    void appliesRfcTable(String target, String patch, String expected) {
        assertThat(MergePatch.apply(json(target), json(patch))).isEqualTo(json(expected));
    }

    @Test
    void kubectlLabelAddsAndRemovesLabels() {
        JsonNode pod = json("{'metadata':{'name':'x','labels':{'app':'web','old':'1'}}}");
        JsonNode result = MergePatch.apply(pod, json("{'metadata':{'labels':{'a':'b','old':null}}}"));
        assertThat(result).isEqualTo(json("{'metadata':{'name':'x','labels':{'app':'web','a':'b'}}}"));
    }

    @Test
    void listsAreReplacedWhole() {
        JsonNode pod = json("{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}");
        JsonNode result = MergePatch.apply(pod, json("{'spec':{'containers':[{'name':'a','image':'z'}]}}"));
        assertThat(result).isEqualTo(json("{'spec':{'containers':[{'name':'a','image':'z'}]}}"));
    }

    @Test
    void neitherOriginalNorPatchChanges() {
        JsonNode doc = json("{'a':{'b':1},'c':[1]}");
        JsonNode patch = json("{'a':{'b':null,'d':{'e':[1]}},'c':null}");
        JsonNode docCopy = doc.deepCopy();
        JsonNode patchCopy = patch.deepCopy();

        JsonNode result = MergePatch.apply(doc, patch);
        ((com.fasterxml.jackson.databind.node.ArrayNode) result.get("a").get("d").get("e")).add(2);

        assertThat(doc).isEqualTo(docCopy);
        assertThat(patch).isEqualTo(patchCopy);
    }
}
