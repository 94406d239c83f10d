package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.kubenetlab.api.patch.J.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatchesTest {
    private static final JsonNode POD = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1'}},"
            + "'spec':{'containers':[{'name':'x','image':'i'},{'name':'y','image':'j'}]}}");
    private static final String CONTAINER_PATCH = "{'spec':{'containers':[{'name':'y','image':'k'}]}}";

    private static PatchException error(String contentType, JsonNode patch) {
        try {
            Patches.apply(contentType, POD, patch, "v1", "Pod");
        } catch (PatchException e) {
            return e;
        }
        throw new AssertionError("no error");
    }

    @Test
    void theContentTypePicksThePatchType() {
        JsonNode patch = json(CONTAINER_PATCH);
        JsonNode strategic = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, POD, patch, "v1", "Pod");
        JsonNode merge = Patches.apply(Patches.MERGE_PATCH, POD, patch, "v1", "Pod");

        assertThat(strategic.at("/spec/containers")).isEqualTo(json("[{'name':'x','image':'i'},{'name':'y','image':'k'}]"));
        assertThat(merge.at("/spec/containers")).isEqualTo(json("[{'name':'y','image':'k'}]"));

        JsonNode jsonPatch = Patches.apply(Patches.JSON_PATCH, POD,
                json("[{'op':'replace','path':'/spec/containers/1/image','value':'k'}]"), "v1", "Pod");
        assertThat(jsonPatch).isEqualTo(strategic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/strategic-merge-patch+json; charset=utf-8",
            " Application/Strategic-Merge-Patch+JSON ", "application/strategic-merge-patch+json;charset=UTF-8"})
    void mediaTypeParametersAndCaseAreIgnored(String contentType) {
        JsonNode result = Patches.apply(contentType, POD, json(CONTAINER_PATCH), "v1", "Pod");
        assertThat(result.at("/spec/containers/0/name").textValue()).isEqualTo("x");
    }

    @Test
    void kubectlLabelSendsAMergePatch() {
        JsonNode result = Patches.apply("application/merge-patch+json", POD,
                json("{'metadata':{'labels':{'a':null,'b':'c'}}}"), "v1", "Pod");
        assertThat(result.at("/metadata/labels")).isEqualTo(json("{'b':'c'}"));
    }

    @Test
    void scaleAsMergePatch() {
        JsonNode deployment = json("{'apiVersion':'apps/v1','kind':'Deployment','spec':{'replicas':1}}");
        JsonNode result = Patches.apply(Patches.MERGE_PATCH, deployment, json("{'spec':{'replicas':4}}"), "apps/v1", "Deployment");
        assertThat(result.at("/spec/replicas").intValue()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/yaml", "text/plain", ""})
    void otherMediaTypesAre415(String contentType) {
        PatchException e = error(contentType, json("{}"));
        assertThat(e.code()).isEqualTo(415);
        assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
        assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media types "
                + "include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
                + "application/strategic-merge-patch+json");
    }

    @Test
    void nullContentTypeIs415() {
        assertThat(error(null, json("{}")).code()).isEqualTo(415);
    }

    @Test
    void serverSideApplyIsRefusedClearly() {
        PatchException e = error(Patches.APPLY_PATCH, json("{}"));
        assertThat(e.code()).isEqualTo(415);
        assertThat(e.getMessage()).contains("server-side apply").contains("--server-side");
    }

    @Test
    void aMergePatchMustBeAnObject() {
        PatchException e = error(Patches.MERGE_PATCH, json("['a']"));
        assertThat(e.code()).isEqualTo(400);
    }

    @Test
    void theResultMustStayAnObject() {
        PatchException e = error(Patches.JSON_PATCH, json("[{'op':'replace','path':'','value':[1]}]"));
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.cause()).contains("not a JSON object");
    }

    @Test
    void invalidBecomesTheApiserversStatus() {
        PatchException e = error(Patches.JSON_PATCH, json("[{'op':'test','path':'/metadata/name','value':'q'}]"));
        assertThat(e.toStatus()).isEqualTo(json("{'kind':'Status','apiVersion':'v1','metadata':{},'status':'Failure',"
                + "'message':'the server rejected our request due to an error in our request','reason':'Invalid',"
                + "'details':{'causes':[{'message':'testing value /metadata/name failed: test failed'}]},'code':422}"));
    }

    @Test
    void badRequestStatusCarriesTheMessage() {
        PatchException e = error(Patches.JSON_PATCH, json("{}"));
        JsonNode status = e.toStatus();
        assertThat(status.get("code").intValue()).isEqualTo(400);
        assertThat(status.get("reason").textValue()).isEqualTo("BadRequest");
        assertThat(status.get("message").textValue()).isEqualTo(e.getMessage());
        assertThat(status.has("details")).isFalse();
    }

    @Test
    void builtInTypesHaveSchemasAndOthersDoNot() {
        for (String[] t : new String[][] {{"v1", "Pod"}, {"v1", "Service"}, {"v1", "Endpoints"}, {"v1", "Namespace"},
                {"v1", "Node"}, {"apps/v1", "Deployment"}, {"discovery.k8s.io/v1", "EndpointSlice"}}) {
            assertThat(KubeSchemas.lookup(t[0], t[1])).as(t[0] + " " + t[1]).isPresent();
        }
        assertThat(KubeSchemas.lookup("apps/v1", "Pod")).isEmpty();
        assertThat(KubeSchemas.lookup("example.com/v1", "Widget")).isEmpty();
        assertThat(KubeSchemas.lookup(null, null)).isEmpty();
    }

    @Test
    void oneSchemaServesPodAndDeploymentTemplate() {
        JsonNode deployment = json("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}}}}");
        JsonNode result = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, deployment,
                json("{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'3'}]}}}}"), "apps/v1", "Deployment");
        assertThat(result.at("/spec/template/spec/containers"))
                .isEqualTo(json("[{'name':'a','image':'1'},{'name':'b','image':'3'}]"));
    }

    @Test
    void theOriginalIsNeverChanged() {
        JsonNode before = POD.deepCopy();
        Patches.apply(Patches.STRATEGIC_MERGE_PATCH, POD, json(CONTAINER_PATCH + ""), "v1", "Pod");
        Patches.apply(Patches.MERGE_PATCH, POD, json("{'metadata':{'labels':null}}"), "v1", "Pod");
        Patches.apply(Patches.JSON_PATCH, POD, json("[{'op':'remove','path':'/spec/containers/0'}]"), "v1", "Pod");
        assertThat(POD).isEqualTo(before);
    }

    @Test
    void nullPatchesAreBadRequests() {
        assertThatThrownBy(() -> Patches.apply(Patches.STRATEGIC_MERGE_PATCH, POD, null, "v1", "Pod"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> Patches.apply(Patches.JSON_PATCH, POD, null, "v1", "Pod"))
                .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
}
