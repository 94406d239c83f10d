package io.kubenetlab.k8s;

/**
 * One port of a Service. {@code targetPort} is a number or a container port name (then
 * {@code targetPortNumber} is 0); {@code nodePort} 0 means "allocate one" for NodePort and
 * LoadBalancer Services; {@code name} is "" when the port has none.
 */
public record ServicePortSpec(String name, String protocol, int port, int targetPortNumber, String targetPortName, int nodePort) {
    public ServicePortSpec withNodePort(int n) {
        return new ServicePortSpec(name, protocol, port, targetPortNumber, targetPortName, n);
    }

    /** The target port as kubectl prints it: a number or a name. */
    public String targetPort() {
        return targetPortName != null ? targetPortName : Integer.toString(targetPortNumber);
    }
}
