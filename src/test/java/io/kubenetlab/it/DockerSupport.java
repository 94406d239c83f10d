package io.kubenetlab.it;

import static org.assertj.core.api.Assertions.fail;

import io.kubenetlab.model.LabException;
import io.kubenetlab.runtime.docker.DockerEngine;
import io.kubenetlab.runtime.docker.DockerImages;
import io.kubenetlab.runtime.docker.DockerRuntime;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Docker tests never pass by not running. scripts/test.sh starts an engine and sets
 * KUBENETLAB_DOCKER_TESTS=required: then a missing engine or image fails the test instead of
 * skipping it (and test.sh checks that the docker test classes ran). Without that variable (a
 * developer's `mvn verify` on a machine without Docker) they are skipped, saying why.
 */
final class DockerSupport {
    static final String REQUIRED_ENV = "KUBENETLAB_DOCKER_TESTS";

    private DockerSupport() {}

    static boolean required() {
        return "required".equals(System.getenv(REQUIRED_ENV));
    }

    /** An engine and the lab images, or a failure (required) or a skip (not required) saying what is missing. */
    static void requireEngineAndImages() {
        String problem;
        try (DockerEngine engine = DockerEngine.connect()) {
            List<String> missing = java.util.stream.Stream.of(DockerImages.MACHINE, DockerImages.BASE, "kubenetlab/python:2.7",
                    "kubenetlab/alpine:latest", "kubenetlab/postgres:15").filter(i -> !engine.imageExists(i)).toList();
            problem = missing.isEmpty() ? null : "images missing: " + missing + " (run scripts/build-images.sh)";
        } catch (LabException e) {
            problem = e.getMessage();
        }
        if (problem == null) return;
        if (required()) fail(REQUIRED_ENV + "=required, but " + problem);
        Assumptions.abort("docker tests skipped: " + problem + " (scripts/test.sh starts an engine and requires them)");
    }

    /** Containers (running or not) carrying the lab's ownership label. */
    static List<String> containersOf(String lab) {
        try (DockerEngine engine = DockerEngine.connect()) {
            return engine.withLabel(DockerRuntime.LABEL_LAB, lab);
        }
    }
}
