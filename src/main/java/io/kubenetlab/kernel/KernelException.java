package io.kubenetlab.kernel;

import java.util.List;

/** A kernel tool failed: says which command and what it printed. */
public class KernelException extends RuntimeException {
    public KernelException(List<String> argv, int exit, String stderr) {
        super(String.join(" ", argv) + " failed (exit " + exit + ")" + (stderr.isBlank() ? "" : ": " + stderr.strip()));
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
