package io.kubenetlab.model;

/**
 * A lab machine that is not a pod: the router, a node or an outside host. It has its own network
 * namespace and a sandbox process that holds its hostname, and runs the host's command if it has one.
 */
public record MachineRecord(String name, Role role, String netns, ProcessRef sandbox) {
    public enum Role { ROUTER, NODE, HOST, LOAD_BALANCER }

    public MachineRecord withSandbox(ProcessRef ref) {
        return new MachineRecord(name, role, netns, ref);
    }
}
