package io.kubenetlab.it;

/**
 * {@link GracefulDeletionIT} on the docker runtime: the engine's SIGTERM (through each container's init)
 * and its not restarting a container it stopped give the same behaviour as the netns runtime's.
 */
class GracefulDeletionDockerIT extends GracefulDeletionIT {
    @Override
    String runtime() {
        return "docker";
    }
}
