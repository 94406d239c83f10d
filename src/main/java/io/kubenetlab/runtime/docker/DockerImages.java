package io.kubenetlab.runtime.docker;

import io.kubenetlab.model.LabException;
import io.kubenetlab.model.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which image the docker runtime runs for an image name of the manifests: the lab file's
 * {@code images:} entry if it has one, else the local image standing in for the name's profile
 * (what scripts/build-images.sh builds: a Debian rootfs whose PATH starts with the profile's shims,
 * so python:2.7's {@code python -m SimpleHTTPServer} works as on the netns runtime), else the name
 * itself (pulled where a registry is reachable).
 */
public final class DockerImages {
    /** Lab machines (router, nodes, load balancer, hosts without an image) and pod sandboxes. */
    public static final String MACHINE = "kubenetlab/node:bookworm";
    public static final String BASE = "kubenetlab/debian:bookworm";
    /** Image profile -> the local image built for it. */
    static final Map<String, String> BY_PROFILE = Map.of(
            "python2", "kubenetlab/python:2.7",
            "python3", "kubenetlab/python:3",
            "alpine", "kubenetlab/alpine:latest",
            "postgres", "kubenetlab/postgres:15",
            "cluster-dns", BASE,
            "debian", BASE);
    static final String LOCAL_PREFIX = "kubenetlab/";

    private DockerImages() {}

    public static String resolve(Topology t, String image, String profile) {
        String mapped = t.images().get(image);
        if (mapped != null) return mapped;
        String local = profile == null ? null : BY_PROFILE.get(profile);
        return local != null ? local : image;
    }

    /**
     * Before anything is created: every image the lab needs is present, or pulled where it is not a
     * local one. A missing local image is an error that says how to build it.
     */
    public static void ensure(DockerEngine engine, Set<String> images) {
        Set<String> all = new TreeSet<>(images);
        all.add(MACHINE);
        List<String> missingLocal = new ArrayList<>();
        for (String image : all) {
            if (engine.imageExists(image)) continue;
            if (image.startsWith(LOCAL_PREFIX)) missingLocal.add(image);
            else engine.pull(image);
        }
        if (!missingLocal.isEmpty()) {
            throw new LabException("the docker runtime needs the local image" + (missingLocal.size() == 1 ? " " : "s ")
                    + String.join(", ", missingLocal) + ", which " + (missingLocal.size() == 1 ? "is" : "are")
                    + " missing: build them with: sudo scripts/build-images.sh");
        }
    }

    /**
     * The image has this program (the packages it was built with are its {@code io.kubenetlab.packages}
     * label); otherwise says which plugin needs it and how to rebuild the images.
     */
    static void requireProgram(DockerEngine engine, String image, String program, String plugin) {
        requireProgram(engine.imageLabel(image, PACKAGES_LABEL), image, program, plugin);
    }

    /** As above, given the image's packages label (null: none). */
    static void requireProgram(String packages, String image, String program, String plugin) {
        String pkg = PROGRAM_PACKAGES.getOrDefault(program, program);
        if (packages == null || !java.util.Arrays.asList(packages.split(",")).contains(pkg)) {
            throw new LabException("the " + plugin + " network plugin runs " + program + " (Debian package " + pkg + ") in the docker runtime's "
                    + image + ", which was built without it: rebuild the images with: sudo scripts/build-images.sh");
        }
    }

    static final String PACKAGES_LABEL = "io.kubenetlab.packages";
    static final Map<String, String> PROGRAM_PACKAGES = Map.of("bird", "bird2", "birdc", "bird2", "bridge", "iproute2", "tcpdump", "tcpdump");
}
