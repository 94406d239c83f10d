package io.kubenetlab.model;

/**
 * A v1 Event: what happened to an object, as kubelet and the controllers report it. {@code count}
 * grows when the same thing happens again (kubectl shows "x3 over 2m").
 */
public record EventRecord(String name, String namespace, String kind, String objectName, String objectUid, String type,
                          String reason, String message, String source, int count, String firstTimestamp, String lastTimestamp) {
    public EventRecord again(String now) {
        return new EventRecord(name, namespace, kind, objectName, objectUid, type, reason, message, source, count + 1, firstTimestamp, now);
    }
}
