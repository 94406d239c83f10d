package io.kubenetlab.verify;

/**
 * Requests sent from one place: a pod, a node or an outside host ({@code source}, an exec target).
 * {@code stopAtSelf}: the hostname whose answer ends the run early (the hairpin check), or null.
 */
public record Trial(String source, SourceKind sourceKind, int requests, Expect expect, String stopAtSelf) {
    public enum SourceKind { NODE, POD, HOST }

    public Trial {
        if (requests < 1) throw new IllegalArgumentException("a trial sends at least one request");
    }
}
