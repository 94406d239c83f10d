package io.kubenetlab.kubelet;

/**
 * Where kubelet-style events go ({@code kubectl get events}): type Normal or Warning, reasons and
 * messages worded as kubelet words them (Unhealthy, Killing, BackOff, Started, Created).
 */
public interface EventSink {
    void emit(String namespace, String kind, String name, String type, String reason, String message);

    EventSink NONE = (namespace, kind, name, type, reason, message) -> { };
}
