package io.kubenetlab.verify;

/**
 * What one request got. {@code backend} is the pod named by the answer's "Hello from NAME" (null when
 * the answer carries none); {@code detail} is nc's last words when the request failed otherwise.
 */
public record Outcome(Status status, String backend, String detail) {
    public enum Status { ANSWERED, REFUSED, TIMED_OUT, FAILED }

    public static Outcome answered(String backend) {
        return new Outcome(Status.ANSWERED, backend, null);
    }

    public static Outcome refused() {
        return new Outcome(Status.REFUSED, null, null);
    }

    public static Outcome timedOut() {
        return new Outcome(Status.TIMED_OUT, null, null);
    }

    public static Outcome failed(String detail) {
        return new Outcome(Status.FAILED, null, detail);
    }

    public boolean answered() {
        return status == Status.ANSWERED;
    }
}
