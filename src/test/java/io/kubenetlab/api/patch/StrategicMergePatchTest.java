package io.kubenetlab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.kubenetlab.api.patch.J.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Strategic merge patch cases in the style of apimachinery's strategicpatch/patch_test.go, plus the
 * patches kubectl 1.32 sends (built the way CreateThreeWayMergePatch builds them: keys sorted,
 * {@code $setElementOrder} for every merging list it touches, deletions as {@code $patch: delete}).
 */
class StrategicMergePatchTest {
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private static JsonNode pod(JsonNode original, String patch) {
        return StrategicMergePatch.apply(original, json(patch), KubeSchemas.POD);
    }

    private static JsonNode deployment(JsonNode original, String patch) {
        return StrategicMergePatch.apply(original, json(patch), KubeSchemas.DEPLOYMENT);
    }

    private static JsonNode names(JsonNode list) {
        var out = Json.NODES.arrayNode();
        list.forEach(e -> out.add(e.get("name")));
        return out;
    }

    private static final JsonNode POD = json("""
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'web','namespace':'default','labels':{'app':'web','tier':'front'},
                         'finalizers':['a','b','c']},
             'spec':{'containers':[
                        {'name':'app','image':'nginx:1.25',
                         'env':[{'name':'FOO','value':'1'},{'name':'BAR','value':'2'}],
                         'ports':[{'containerPort':80,'name':'http'}],
                         'volumeMounts':[{'name':'data','mountPath':'/data'}]},
                        {'name':'sidecar','image':'busybox','command':['sleep','3600']}],
                     'volumes':[{'name':'data','emptyDir':{}}],
                     'tolerations':[{'key':'k1','operator':'Exists'}],
                     'nodeSelector':{'disk':'ssd','zone':'a'}},
             'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}
            """);

    private static final JsonNode DEPLOYMENT = json("""
            {'apiVersion':'apps/v1','kind':'Deployment',
             'metadata':{'name':'web','annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}},
             'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},
                     'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}},
                     'template':{'metadata':{'labels':{'app':'web'}},
                                 'spec':{'containers':[{'name':'app','image':'nginx:1.25',
                                                        'env':[{'name':'FOO','value':'1'},{'name':'BAR','value':'2'}]}]}}}}
            """);

    @Nested
    class Maps {
        @Test
        void mergeRecursivelyAndNullDeletes() {
            JsonNode result = pod(POD, "{'metadata':{'labels':{'tier':null,'new':'x'}}}");
            assertThat(result.at("/metadata/labels")).isEqualTo(json("{'app':'web','new':'x'}"));
            assertThat(result.at("/spec")).isEqualTo(POD.at("/spec"));
        }

        @Test
        void patchReplaceReplacesTheMap() {
            JsonNode result = pod(POD, "{'spec':{'nodeSelector':{'$patch':'replace','zone':'b'}}}");
            assertThat(result.at("/spec/nodeSelector")).isEqualTo(json("{'zone':'b'}"));
        }

        @Test
        void patchDeleteEmptiesTheMap() {
            JsonNode result = pod(POD, "{'spec':{'nodeSelector':{'$patch':'delete'}}}");
            assertThat(result.at("/spec/nodeSelector")).isEqualTo(json("{}"));
        }

        @Test
        void patchDeleteOfAnAbsentMapAddsNothing() {
            JsonNode result = pod(POD, "{'spec':{'affinity':{'$patch':'delete'}}}");
            assertThat(result.at("/spec").has("affinity")).isFalse();
        }

        @Test
        void patchMergeIsTheDefault() {
            JsonNode result = pod(POD, "{'metadata':{'labels':{'$patch':'merge','x':'y'}}}");
            assertThat(result.at("/metadata/labels")).isEqualTo(json("{'app':'web','tier':'front','x':'y'}"));
        }

        @Test
        void retainKeysDropsTheOtherUnionMember() {
            // what kubectl apply sends when a Deployment's strategy changes to Recreate
            JsonNode result = deployment(DEPLOYMENT,
                    "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}");
            assertThat(result.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
        }

        @Test
        void retainKeysInAListElement() {
            // a volume switched from emptyDir to configMap: Volume is merge,retainKeys upstream
            JsonNode result = pod(POD, "{'spec':{'$setElementOrder/volumes':[{'name':'data'}],"
                    + "'volumes':[{'$retainKeys':['configMap','name'],'configMap':{'name':'cfg'},'name':'data'}]}}");
            assertThat(result.at("/spec/volumes")).isEqualTo(json("[{'name':'data','configMap':{'name':'cfg'}}]"));
        }

        @Test
        void aNewFieldIsStoredWithoutDirectivesOrNulls() {
            JsonNode result = pod(POD, "{'spec':{'$setElementOrder/initContainers':[{'name':'init'}],"
                    + "'initContainers':[{'name':'init','image':'busybox','env':[{'name':'A','value':'1'}],"
                    + "'$setElementOrder/env':[{'name':'A'}],'args':null}],"
                    + "'securityContext':{'$patch':'replace','runAsUser':1000,'fsGroup':null}}}");
            assertThat(result.at("/spec/initContainers"))
                    .isEqualTo(json("[{'name':'init','image':'busybox','env':[{'name':'A','value':'1'}]}]"));
            assertThat(result.at("/spec/securityContext")).isEqualTo(json("{'runAsUser':1000}"));
        }

        @Test
        void aValueOfAnotherTypeReplaces() {
            JsonNode result = pod(POD, "{'spec':{'nodeSelector':'none','tolerations':{'a':1}}}");
            assertThat(result.at("/spec/nodeSelector").textValue()).isEqualTo("none");
            assertThat(result.at("/spec/tolerations")).isEqualTo(json("{'a':1}"));
        }
    }

    @Nested
    class ListsWithAMergeKey {
        @Test
        void containersMergeByNameKeepingTheOthers() {
            JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'sidecar','image':'busybox:1.36'}]}}");
            assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['app','sidecar']"));
            assertThat(result.at("/spec/containers/0")).isEqualTo(POD.at("/spec/containers/0"));
            assertThat(result.at("/spec/containers/1"))
                    .isEqualTo(json("{'name':'sidecar','image':'busybox:1.36','command':['sleep','3600']}"));
        }

        @Test
        void envMergesByNameInsideTheContainer() {
            JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'app','env':[{'name':'FOO','value':'3'}]}]}}");
            assertThat(result.at("/spec/containers/0/env"))
                    .isEqualTo(json("[{'name':'FOO','value':'3'},{'name':'BAR','value':'2'}]"));
            assertThat(result.at("/spec/containers/0/image").textValue()).isEqualTo("nginx:1.25");
        }

        @Test
        void containerPortsMergeByContainerPort() {
            JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'app',"
                    + "'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443,'name':'https'}]}]}}");
            assertThat(result.at("/spec/containers/0/ports")).isEqualTo(json(
                    "[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443,'name':'https'}]"));
        }

        @Test
        void volumeMountsMergeByMountPath() {
            JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'app',"
                    + "'volumeMounts':[{'mountPath':'/data','readOnly':true}]}]}}");
            assertThat(result.at("/spec/containers/0/volumeMounts"))
                    .isEqualTo(json("[{'name':'data','mountPath':'/data','readOnly':true}]"));
        }

        @Test
        void anElementTheServerLacksGoesFirstWithoutSetElementOrder() {
            // upstream's ordering rule: patch elements the live list lacks sort ahead of server-only ones
            JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'new','image':'x'}]}}");
            assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['new','app','sidecar']"));
        }

        @Test
        void setElementOrderPlacesANewElement() {
            JsonNode result = pod(POD, "{'spec':{'$setElementOrder/containers':[{'name':'app'},{'name':'sidecar'},"
                    + "{'name':'new'}],'containers':[{'name':'new','image':'x'}]}}");
            assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['app','sidecar','new']"));
        }

        @Test
        void setElementOrderAloneReorders() {
            JsonNode result = pod(POD, "{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'app'}]}}");
            assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['sidecar','app']"));
            assertThat(result.at("/spec/containers/1")).isEqualTo(POD.at("/spec/containers/0"));
        }

        @Test
        void setElementOrderKeepsServerOnlyElementsInPlace() {
            // an injected sidecar the client never saw stays between its neighbours
            JsonNode live = json("{'spec':{'containers':[{'name':'a'},{'name':'istio'},{'name':'b'}]}}");
            JsonNode result = pod(live, "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                    + "'containers':[{'name':'b','image':'new'}]}}");
            assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['a','istio','b']"));
            assertThat(result.at("/spec/containers/2/image").textValue()).isEqualTo("new");
        }

        @Test
        void patchDeleteRemovesTheElement() {
            JsonNode result = pod(POD, "{'spec':{'containers':[{'$patch':'delete','name':'sidecar'}]}}");
            assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['app']"));
        }

        @Test
        void patchReplaceReplacesTheList() {
            JsonNode result = pod(POD, "{'spec':{'containers':[{'$patch':'replace'},{'name':'only','image':'x'}]}}");
            assertThat(result.at("/spec/containers")).isEqualTo(json("[{'name':'only','image':'x'}]"));
        }

        @Test
        void serviceAndStatusLists() {
            JsonNode svc = json("{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':8443}]},"
                    + "'status':{'conditions':[{'type':'A','status':'True'}]}}");
            JsonNode result = StrategicMergePatch.apply(svc,
                    json("{'spec':{'ports':[{'port':443,'targetPort':9443}]},"
                            + "'status':{'conditions':[{'type':'A','status':'False'}]}}"),
                    KubeSchemas.SERVICE);
            assertThat(result.at("/spec/ports")).isEqualTo(json("[{'port':80,'targetPort':8080},{'port':443,'targetPort':9443}]"));
            assertThat(result.at("/status/conditions")).isEqualTo(json("[{'type':'A','status':'False'}]"));
        }

        @Test
        void podConditionsMergeByType() {
            JsonNode result = pod(POD, "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}");
            assertThat(result.at("/status/conditions"))
                    .isEqualTo(json("[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]"));
        }

        @Test
        void ownerReferencesMergeByUid() {
            JsonNode live = json("{'metadata':{'ownerReferences':[{'uid':'1','name':'rs-a'},{'uid':'2','name':'rs-b'}]}}");
            JsonNode result = pod(live, "{'metadata':{'ownerReferences':[{'uid':'2','controller':true}]}}");
            assertThat(result.at("/metadata/ownerReferences"))
                    .isEqualTo(json("[{'uid':'1','name':'rs-a'},{'uid':'2','name':'rs-b','controller':true}]"));
        }

        @Test
        void nodeAddressesMergeByType() {
            JsonNode node = json("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'},"
                    + "{'type':'Hostname','address':'n1'}]}}");
            JsonNode result = StrategicMergePatch.apply(node,
                    json("{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}"), KubeSchemas.NODE);
            assertThat(result.at("/status/addresses")).isEqualTo(json(
                    "[{'type':'InternalIP','address':'10.0.0.2'},{'type':'Hostname','address':'n1'}]"));
        }
    }

    @Nested
    class ListsWithoutAStrategy {
        @Test
        void tolerationsAreReplaced() {
            JsonNode result = pod(POD, "{'spec':{'tolerations':[{'key':'k2','operator':'Exists'}]}}");
            assertThat(result.at("/spec/tolerations")).isEqualTo(json("[{'key':'k2','operator':'Exists'}]"));
        }

        @Test
        void commandIsReplaced() {
            JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'sidecar','command':['sh']}]}}");
            assertThat(result.at("/spec/containers/1/command")).isEqualTo(json("['sh']"));
        }

        @Test
        void endpointsSubsetsAreReplaced() {
            JsonNode ep = json("{'subsets':[{'addresses':[{'ip':'10.0.0.1'}],'ports':[{'port':80}]}]}");
            JsonNode result = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, ep,
                    json("{'subsets':[{'addresses':[{'ip':'10.0.0.2'}]}]}"), "v1", "Endpoints");
            assertThat(result.get("subsets")).isEqualTo(json("[{'addresses':[{'ip':'10.0.0.2'}]}]"));
        }

        @Test
        void endpointSliceListsAreReplaced() {
            JsonNode slice = json("{'endpoints':[{'addresses':['10.0.0.1']},{'addresses':['10.0.0.2']}],"
                    + "'ports':[{'port':80}]}");
            JsonNode result = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, slice,
                    json("{'endpoints':[{'addresses':['10.0.0.3']}]}"), "discovery.k8s.io/v1", "EndpointSlice");
            assertThat(result.get("endpoints")).isEqualTo(json("[{'addresses':['10.0.0.3']}]"));
            assertThat(result.get("ports")).isEqualTo(json("[{'port':80}]"));
        }

        @Test
        void nodeTaintsAreReplacedAndPodCidrsUnioned() {
            JsonNode node = json("{'spec':{'taints':[{'key':'a','effect':'NoSchedule'}],'podCIDRs':['10.244.0.0/24']}}");
            JsonNode result = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, node,
                    json("{'spec':{'taints':[{'key':'b','effect':'NoSchedule'}],'podCIDRs':['fd00::/64']}}"), "v1", "Node");
            assertThat(result.at("/spec/taints")).isEqualTo(json("[{'key':'b','effect':'NoSchedule'}]"));
            assertThat(result.at("/spec/podCIDRs")).isEqualTo(json("['fd00::/64','10.244.0.0/24']"));
        }

        @Test
        void unknownKindsMergeMapsAndReplaceLists() {
            JsonNode widget = json("{'spec':{'size':1,'items':[{'name':'a'},{'name':'b'}],'labels':{'x':'1'}}}");
            JsonNode result = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, widget,
                    json("{'spec':{'items':[{'name':'b'}],'labels':{'y':'2'},'size':null}}"), "example.com/v1", "Widget");
            assertThat(result).isEqualTo(json("{'spec':{'items':[{'name':'b'}],'labels':{'x':'1','y':'2'}}}"));
        }
    }

    @Nested
    class PrimitiveLists {
        @Test
        void finalizersAreUnioned() {
            // upstream order: 'd' follows 'b', the patch element before it; server-only 'c' comes after
            JsonNode result = pod(POD, "{'metadata':{'finalizers':['b','d']}}");
            assertThat(result.at("/metadata/finalizers")).isEqualTo(json("['a','b','d','c']"));
        }

        @Test
        void deleteFromPrimitiveList() {
            JsonNode result = pod(POD, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','zz']}}");
            assertThat(result.at("/metadata/finalizers")).isEqualTo(json("['a','c']"));
        }

        @Test
        void kubectlApplyRemovingAFinalizer() {
            JsonNode result = pod(POD, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b'],"
                    + "'$setElementOrder/finalizers':['a','c']}}");
            assertThat(result.at("/metadata/finalizers")).isEqualTo(json("['a','c']"));
        }

        @Test
        void setElementOrderOnPrimitives() {
            JsonNode result = pod(POD, "{'metadata':{'$setElementOrder/finalizers':['c','new','a','b'],"
                    + "'finalizers':['new']}}");
            assertThat(result.at("/metadata/finalizers")).isEqualTo(json("['c','new','a','b']"));
        }
    }

    @Nested
    class WhatKubectlSends {
        private JsonNode withLastApplied(String patch, String lastApplied) {
            ObjectNode p = (ObjectNode) json(patch);
            p.withObject("/metadata/annotations").put(LAST_APPLIED, lastApplied);
            return p;
        }

        @Test
        void applyChangingAPodImage() {
            String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},"
                    + "\"spec\":{\"containers\":[{\"image\":\"nginx:1.26\",\"name\":\"app\"}]}}\n";
            JsonNode patch = withLastApplied("{'spec':{'$setElementOrder/containers':[{'name':'app'},{'name':'sidecar'}],"
                    + "'containers':[{'image':'nginx:1.26','name':'app'}]}}", lastApplied);

            JsonNode result = StrategicMergePatch.apply(POD, patch, KubeSchemas.POD);

            assertThat(result.at("/metadata/annotations/" + LAST_APPLIED.replace("/", "~1")).textValue()).isEqualTo(lastApplied);
            assertThat(result.at("/spec/containers/0/image").textValue()).isEqualTo("nginx:1.26");
            assertThat(result.at("/spec/containers/0/env")).isEqualTo(POD.at("/spec/containers/0/env"));
            assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['app','sidecar']"));
            assertThat(result.at("/metadata/labels")).isEqualTo(POD.at("/metadata/labels"));
        }

        @Test
        void applyChangingADeploymentImage() {
            JsonNode patch = withLastApplied("{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'app'}],"
                    + "'containers':[{'image':'nginx:1.26','name':'app'}]}}}}", "{}\n");

            JsonNode result = StrategicMergePatch.apply(DEPLOYMENT, patch, KubeSchemas.DEPLOYMENT);

            JsonNode expected = DEPLOYMENT.deepCopy();
            ((ObjectNode) expected.at("/spec/template/spec/containers/0")).put("image", "nginx:1.26");
            ((ObjectNode) expected.at("/metadata/annotations")).put(LAST_APPLIED, "{}\n");
            assertThat(result).isEqualTo(expected);
        }

        @Test
        void applyChangingOneEnvVarAndRemovingAnother() {
            JsonNode result = deployment(DEPLOYMENT, "{'spec':{'template':{'spec':{"
                    + "'$setElementOrder/containers':[{'name':'app'}],"
                    + "'containers':[{'$setElementOrder/env':[{'name':'FOO'}],"
                    + "'env':[{'name':'FOO','value':'2'},{'$patch':'delete','name':'BAR'}],'name':'app'}]}}}}");
            assertThat(result.at("/spec/template/spec/containers/0"))
                    .isEqualTo(json("{'name':'app','image':'nginx:1.25','env':[{'name':'FOO','value':'2'}]}"));
        }

        @Test
        void applyAddingAnEnvVarInOrder() {
            JsonNode result = deployment(DEPLOYMENT, "{'spec':{'template':{'spec':{"
                    + "'$setElementOrder/containers':[{'name':'app'}],"
                    + "'containers':[{'$setElementOrder/env':[{'name':'FOO'},{'name':'BAZ'},{'name':'BAR'}],"
                    + "'env':[{'name':'BAZ','value':'3'}],'name':'app'}]}}}}");
            assertThat(names(result.at("/spec/template/spec/containers/0/env"))).isEqualTo(json("['FOO','BAZ','BAR']"));
        }

        @Test
        void rolloutRestart() {
            JsonNode result = deployment(DEPLOYMENT, "{'spec':{'template':{'metadata':{'annotations':"
                    + "{'kubectl.kubernetes.io/restartedAt':'2025-01-01T00:00:00Z'}}}}}");
            assertThat(result.at("/spec/template/metadata")).isEqualTo(json(
                    "{'labels':{'app':'web'},'annotations':{'kubectl.kubernetes.io/restartedAt':'2025-01-01T00:00:00Z'}}"));
            assertThat(result.at("/spec/template/spec")).isEqualTo(DEPLOYMENT.at("/spec/template/spec"));
        }

        @Test
        void scale() {
            JsonNode result = deployment(DEPLOYMENT, "{'spec':{'replicas':4}}");
            assertThat(result.at("/spec/replicas").intValue()).isEqualTo(4);
            assertThat(result.at("/spec/template")).isEqualTo(DEPLOYMENT.at("/spec/template"));
        }

        @Test
        void setImage() {
            // kubectl set image deployment/web app=nginx:1.27
            JsonNode result = deployment(DEPLOYMENT,
                    "{'spec':{'template':{'spec':{'containers':[{'image':'nginx:1.27','name':'app'}]}}}}");
            assertThat(result.at("/spec/template/spec/containers/0/image").textValue()).isEqualTo("nginx:1.27");
            assertThat(result.at("/spec/template/spec/containers/0/env")).isEqualTo(
                    DEPLOYMENT.at("/spec/template/spec/containers/0/env"));
        }
    }

    @Nested
    class Errors {
        private PatchException error(String patch) {
            try {
                pod(POD, patch);
            } catch (PatchException e) {
                return e;
            }
            throw new AssertionError("no error for " + patch);
        }

        @Test
        void deleteWithoutMergeKey() {
            PatchException e = error("{'spec':{'containers':[{'$patch':'delete'}]}}");
            assertThat(e.code()).isEqualTo(422);
            assertThat(e.cause()).contains("does not contain declared merge key: name");
        }

        @Test
        void elementWithoutMergeKey() {
            assertThat(error("{'spec':{'containers':[{'image':'x'}]}}").cause())
                    .contains("does not contain declared merge key: name");
        }

        @Test
        void unknownDirectives() {
            assertThat(error("{'spec':{'$patch':'frob'}}").cause()).startsWith("unknown patch type: frob in map:");
            assertThat(error("{'spec':{'containers':[{'$patch':'frob','name':'app'}]}}").code()).isEqualTo(422);
        }

        @Test
        void badDirectiveShapesAreBadRequests() {
            assertThat(error("{'spec':{'$setElementOrder/containers':{'name':'app'}}}").getMessage())
                    .isEqualTo("invalid patch format of setElementOrder list");
            assertThat(error("{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}").getMessage())
                    .isEqualTo("invalid patch format of primitive list");
            assertThat(error("{'spec':{'$retainKeys':'x'}}").getMessage()).isEqualTo("invalid patch format of retainKeys");
            PatchException notRetained = error("{'spec':{'$retainKeys':['nodeSelector'],'hostname':'h'}}");
            assertThat(notRetained.code()).isEqualTo(400);
            assertThat(notRetained.getMessage()).isEqualTo("invalid patch format of retainKeys");
        }

        @Test
        void setElementOrderContradictingThePatch() {
            PatchException e = error("{'spec':{'$setElementOrder/containers':[{'name':'app'},{'name':'sidecar'}],"
                    + "'containers':[{'name':'sidecar'},{'name':'app'}]}}");
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).contains("doesn't match $setElementOrder list");
        }

        @Test
        void mixedAndNestedLists() {
            assertThat(error("{'metadata':{'finalizers':[['x']]}}").cause()).isEqualTo("lists of lists are not supported");
            assertThat(error("{'metadata':{'finalizers':[{'a':1}]}}").cause()).startsWith("list element types are not identical");
        }

        @Test
        void patchMustBeAnObject() {
            assertThatThrownBy(() -> StrategicMergePatch.apply(POD, json("[]"), KubeSchemas.POD))
                    .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(400));
        }

        @Test
        void anErrorLeavesTheOriginalAlone() {
            JsonNode before = POD.deepCopy();
            error("{'metadata':{'labels':{'x':'y'}},'spec':{'containers':[{'image':'x'}]}}");
            assertThat(POD).isEqualTo(before);
        }
    }

    @Test
    void neitherOriginalNorPatchChanges() {
        JsonNode original = POD.deepCopy();
        JsonNode patch = json("{'metadata':{'labels':{'tier':null},'$deleteFromPrimitiveList/finalizers':['a']},"
                + "'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'app'},{'name':'new'}],"
                + "'containers':[{'name':'app','env':[{'$patch':'delete','name':'BAR'},{'name':'X','value':'1'}]},"
                + "{'name':'new','image':'i','ports':[{'containerPort':1}]}],"
                + "'volumes':[{'$patch':'replace'},{'name':'v','emptyDir':{}}],"
                + "'nodeSelector':{'$retainKeys':['zone'],'zone':'b'}}}");
        JsonNode patchBefore = patch.deepCopy();

        JsonNode result = StrategicMergePatch.apply(original, patch, KubeSchemas.POD);
        // the result shares no node with the patch: changing it leaves the patch alone
        ((ObjectNode) result.at("/spec/containers/2/ports/0")).put("containerPort", 2);
        ((ObjectNode) result.at("/spec/volumes/0")).put("name", "changed");

        assertThat(original).isEqualTo(POD);
        assertThat(patch).isEqualTo(patchBefore);
        assertThat(names(result.at("/spec/containers"))).isEqualTo(json("['sidecar','app','new']"));
        assertThat(result.at("/spec/containers/1/env")).isEqualTo(json("[{'name':'X','value':'1'},{'name':'FOO','value':'1'}]"));
        assertThat(result.at("/spec/nodeSelector")).isEqualTo(json("{'zone':'b'}"));
        assertThat(result.at("/metadata/finalizers")).isEqualTo(json("['b','c']"));
        assertThat(result.at("/metadata/labels")).isEqualTo(json("{'app':'web'}"));
    }
}
