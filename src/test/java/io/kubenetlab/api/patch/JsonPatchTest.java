package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.kubenetlab.api.patch.J.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class JsonPatchTest {

    /** RFC 6902 Appendix A, the examples that succeed (A.13, duplicate members, can't be a JsonNode). */
    static Stream<Arguments> appendixA() {
        return Stream.of(
                arguments("A.1 add an object member", "{'foo':'bar'}",
                        "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}"),
                arguments("A.2 add an array element", "{'foo':['bar','baz']}",
                        "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}"),
                arguments("A.3 remove an object member", "{'baz':'qux','foo':'bar'}",
                        "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}"),
                arguments("A.4 remove an array element", "{'foo':['bar','qux','baz']}",
                        "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}"),
                arguments("A.5 replace a value", "{'baz':'qux','foo':'bar'}",
                        "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}"),
                arguments("A.6 move a value", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
                        "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
                        "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"),
                arguments("A.7 move an array element", "{'foo':['all','grass','cows','eat']}",
                        "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}"),
                arguments("A.8 test a value: success", "{'baz':'qux','foo':['a',2,'c']}",
                        "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
                        "{'baz':'qux','foo':['a',2,'c']}"),
                arguments("A.10 add a nested member object", "{'foo':'bar'}",
                        "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
                        "{'foo':'bar','child':{'grandchild':{}}}"),
                arguments("A.11 ignore unrecognized elements", "{'foo':'bar'}",
                        "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}"),
                arguments("A.14 ~ escape ordering", "{'/':9,'~1':10}",
                        "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}"),
                arguments("A.16 add an array value", "{'foo':['bar']}",
                        "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}"),
                arguments("copy", "{'a':{'b':[1]}}",
                        "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':[1]},'c':{'b':[1]}}"),
                arguments("add at the array's end by index", "{'a':[1]}",
                        "[{'op':'add','path':'/a/1','value':2}]", "{'a':[1,2]}"),
                arguments("add replaces an existing member", "{'a':1}",
                        "[{'op':'add','path':'/a','value':2}]", "{'a':2}"),
                arguments("~1 in a Kubernetes label key", "{'metadata':{'labels':{'app.kubernetes.io/name':'x'}}}",
                        "[{'op':'replace','path':'/metadata/labels/app.kubernetes.io~1name','value':'y'}]",
                        "{'metadata':{'labels':{'app.kubernetes.io/name':'y'}}}"),
                arguments("test compares numbers by value and objects without order", "{'a':{'x':1,'y':2.0}}",
                        "[{'op':'test','path':'/a','value':{'y':2,'x':1.0}}]", "{'a':{'x':1,'y':2.0}}"),
                arguments("replace the whole document", "{'a':1}",
                        "[{'op':'replace','path':'','value':{'b':2}}]", "{'b':2}"),
                arguments("operations apply in order", "{'spec':{'replicas':1}}",
                        "[{'op':'test','path':'/spec/replicas','value':1},"
                                + "{'op':'replace','path':'/spec/replicas','value':3},"
                                + "{'op':'test','path':'/spec/replicas','value':3}]",
                        "{'spec':{'replicas':3}}"),
                arguments("move to the same place is a no-op", "{'a':1}",
                        "[{'op':'move','from':'/a','path':'/a'}]", "{'a':1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appendixA")
    void appliesRfcExamples(String name, String doc, String patch, String expected) {
        assertThat(JsonPatch.apply(json(doc), json(patch))).isEqualTo(json(expected));
    }

    /** Patches that are well formed but do not fit the document: 422. */
    static Stream<Arguments> doesNotApply() {
        return Stream.of(
                arguments("A.9 test a value: error", "{'baz':'qux'}",
                        "[{'op':'test','path':'/baz','value':'bar'}]", "testing value /baz failed"),
                arguments("A.12 add to a nonexistent target", "{'foo':'bar'}",
                        "[{'op':'add','path':'/baz/bat','value':'qux'}]", "doc is missing path: \"/baz/bat\""),
                arguments("A.15 comparing strings and numbers", "{'/':9,'~1':10}",
                        "[{'op':'test','path':'/~01','value':'10'}]", "testing value /~01 failed"),
                arguments("remove a missing member", "{'a':1}",
                        "[{'op':'remove','path':'/b'}]", "remove operation does not apply"),
                arguments("replace a missing member", "{'a':1}",
                        "[{'op':'replace','path':'/b','value':1}]", "replace operation does not apply"),
                arguments("index past the end", "{'a':[1]}",
                        "[{'op':'replace','path':'/a/1','value':1}]", "invalid index"),
                arguments("add past the end", "{'a':[1]}",
                        "[{'op':'add','path':'/a/2','value':1}]", "invalid index"),
                arguments("leading zero index", "{'a':[1,2]}",
                        "[{'op':'remove','path':'/a/01'}]", "invalid index"),
                arguments("- only for add", "{'a':[1]}",
                        "[{'op':'remove','path':'/a/-'}]", "invalid index"),
                arguments("move into its own child", "{'a':{'b':{}}}",
                        "[{'op':'move','from':'/a','path':'/a/b/c'}]", "its own child"),
                arguments("copy from a missing path", "{'a':1}",
                        "[{'op':'copy','from':'/x','path':'/y'}]", "copy operation does not apply"),
                arguments("path through a scalar", "{'a':1}",
                        "[{'op':'add','path':'/a/b','value':1}]", "doc is missing path"),
                arguments("remove the root", "{'a':1}",
                        "[{'op':'remove','path':''}]", "whole document"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doesNotApply")
    void refusesPatchesThatDoNotApply(String name, String doc, String patch, String cause) {
        assertThatThrownBy(() -> JsonPatch.apply(json(doc), json(patch)))
                .isInstanceOfSatisfying(PatchException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.getMessage()).isEqualTo(PatchException.INVALID_MESSAGE);
                    assertThat(e.cause()).contains(cause);
                });
    }

    /** Malformed patch documents: 400, before any operation runs. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("not an array", "{'op':'add','path':'/a','value':1}", "array of operations"),
                arguments("an operation that is not an object", "[1]", "must be an object"),
                arguments("no op", "[{'path':'/a'}]", "\"op\""),
                arguments("unknown op", "[{'op':'frob','path':'/a'}]", "Unexpected kind: frob"),
                arguments("no path", "[{'op':'remove'}]", "\"path\""),
                arguments("no value", "[{'op':'add','path':'/a'}]", "no \"value\""),
                arguments("no from", "[{'op':'move','path':'/a'}]", "\"from\""),
                arguments("pointer without a leading slash", "[{'op':'remove','path':'a'}]", "start with /"),
                arguments("bad ~ escape", "[{'op':'remove','path':'/a~2'}]", "~ must be followed by 0 or 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformedPatches(String name, String patch, String message) {
        assertThatThrownBy(() -> JsonPatch.apply(json("{'a':1}"), json(patch)))
                .isInstanceOfSatisfying(PatchException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void aFailingOperationLeavesNoPartialChange() {
        JsonNode doc = json("{'a':1,'b':[1,2]}");
        JsonNode copy = doc.deepCopy();
        assertThatThrownBy(() -> JsonPatch.apply(doc, json(
                "[{'op':'remove','path':'/b/0'},{'op':'add','path':'/c','value':{}},{'op':'test','path':'/a','value':2}]")))
                .isInstanceOf(PatchException.class);
        assertThat(doc).isEqualTo(copy);
    }

    @Test
    void neitherOriginalNorPatchChanges() {
        JsonNode doc = json("{'a':{'b':[1,2]},'c':'x'}");
        JsonNode patch = json("[{'op':'add','path':'/a/b/-','value':{'n':1}},{'op':'move','from':'/c','path':'/d'},"
                + "{'op':'copy','from':'/a','path':'/e'}]");
        JsonNode docCopy = doc.deepCopy();
        JsonNode patchCopy = patch.deepCopy();

        JsonNode result = JsonPatch.apply(doc, patch);
        ((com.fasterxml.jackson.databind.node.ObjectNode) result.get("a").get("b").get(2)).put("n", 99);

        assertThat(doc).isEqualTo(docCopy);
        assertThat(patch).isEqualTo(patchCopy);
        assertThat(result.get("e")).isEqualTo(json("{'b':[1,2,{'n':1}]}"));
    }
}
