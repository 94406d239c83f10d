package io.kubenetlab.model;

/** A lab operation that cannot go on; the message is meant for the user. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
