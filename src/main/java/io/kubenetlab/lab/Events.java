package io.kubenetlab.lab;

/**
 * Where kubelet-style events go ({@code kubectl get events}): type Normal or Warning, reasons and
 * messages worded as kubelet words them (Unhealthy, Killing, BackOff, Started, Created).
 */
public interface Events {
    void emit(String namespace, String kind, String name, String type, String reason, String message);

    Events NONE = (namespace, kind, name, type, reason, message) -> { };
}
