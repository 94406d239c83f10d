package io.kubenetlab.api.patch;

import java.util.Map;
import java.util.Optional;

import static io.kubenetlab.api.patch.PatchSchema.mergeByKey;
import static io.kubenetlab.api.patch.PatchSchema.mergePrimitives;
import static io.kubenetlab.api.patch.PatchSchema.object;

/**
 * Strategic-merge metadata of the built-in types we serve, transcribed from the
 * {@code patchStrategy}/{@code patchMergeKey} struct tags of k8s.io/api (core/v1, apps/v1,
 * discovery/v1, meta/v1). A field absent here has no tag upstream, so its list is replaced whole:
 * e.g. tolerations, readinessGates, envFrom, Node taints, Namespace spec.finalizers,
 * Endpoints subsets and every EndpointSlice list (atomic).
 */
public final class KubeSchemas {
    private KubeSchemas() {}

    static final PatchSchema OBJECT_META = PatchSchema.of(
            mergePrimitives("finalizers"),
            mergeByKey("ownerReferences", "uid"));

    /** Container and EphemeralContainer: the same tags on both. */
    static final PatchSchema CONTAINER = PatchSchema.of(
            mergeByKey("ports", "containerPort"),
            mergeByKey("env", "name"),
            mergeByKey("volumeMounts", "mountPath"),
            mergeByKey("volumeDevices", "devicePath"));

    static final PatchSchema POD_SPEC = PatchSchema.of(
            mergeByKey("volumes", "name"), // merge,retainKeys upstream
            mergeByKey("initContainers", "name", CONTAINER),
            mergeByKey("containers", "name", CONTAINER),
            mergeByKey("ephemeralContainers", "name", CONTAINER),
            mergeByKey("imagePullSecrets", "name"),
            mergeByKey("hostAliases", "ip"),
            mergeByKey("topologySpreadConstraints", "topologyKey"),
            mergeByKey("schedulingGates", "name"),
            mergeByKey("resourceClaims", "name")); // merge,retainKeys upstream

    static final PatchSchema POD_STATUS = PatchSchema.of(
            mergeByKey("conditions", "type"),
            mergeByKey("podIPs", "ip"),
            mergeByKey("hostIPs", "ip"),
            mergeByKey("resourceClaimStatuses", "name"));

    static final PatchSchema POD_TEMPLATE = PatchSchema.of(
            object("metadata", OBJECT_META),
            object("spec", POD_SPEC));

    /** Status types whose only tagged list is metav1.Condition / their own conditions, by type. */
    static final PatchSchema CONDITIONS_STATUS = PatchSchema.of(mergeByKey("conditions", "type"));

    static final PatchSchema POD = PatchSchema.of(
            object("metadata", OBJECT_META),
            object("spec", POD_SPEC),
            object("status", POD_STATUS));

    static final PatchSchema SERVICE = PatchSchema.of(
            object("metadata", OBJECT_META),
            object("spec", PatchSchema.of(mergeByKey("ports", "port"))),
            object("status", CONDITIONS_STATUS));

    /** subsets carry no tag: a patch replaces them whole. */
    static final PatchSchema METADATA_ONLY = PatchSchema.of(object("metadata", OBJECT_META));

    static final PatchSchema NAMESPACE = PatchSchema.of(
            object("metadata", OBJECT_META),
            object("status", CONDITIONS_STATUS));

    static final PatchSchema NODE = PatchSchema.of(
            object("metadata", OBJECT_META),
            object("spec", PatchSchema.of(mergePrimitives("podCIDRs"))),
            object("status", PatchSchema.of(
                    mergeByKey("conditions", "type"),
                    mergeByKey("addresses", "type"))));

    /** spec.strategy is retainKeys upstream: only the patch's $retainKeys directive matters here. */
    static final PatchSchema DEPLOYMENT = PatchSchema.of(
            object("metadata", OBJECT_META),
            object("spec", PatchSchema.of(object("template", POD_TEMPLATE))),
            object("status", CONDITIONS_STATUS));

    private static final Map<String, PatchSchema> BY_TYPE = Map.of(
            "v1/Pod", POD,
            "v1/Service", SERVICE,
            "v1/Endpoints", METADATA_ONLY,
            "v1/Namespace", NAMESPACE,
            "v1/Node", NODE,
            "apps/v1/Deployment", DEPLOYMENT,
            "discovery.k8s.io/v1/EndpointSlice", METADATA_ONLY);

    /** The schema of a built-in type, or empty for a type we do not know (a CRD, say). */
    public static Optional<PatchSchema> lookup(String apiVersion, String kind) {
        return Optional.ofNullable(BY_TYPE.get(apiVersion + "/" + kind));
    }
}
