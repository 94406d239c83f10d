package io.kubenetlab.k8s;

/** An object read from a manifest, with where it came from (for error messages). */
public sealed interface KubeObject permits PodManifest, Deployment, Service, EndpointsManifest, EndpointSliceManifest {
    ObjectMeta metadata();

    String kind();

    /** "file:line" of the document this object came from. */
    String source();
}
