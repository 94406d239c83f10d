package io.kubenetlab.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Outcomes of a run of requests, counted: answers per backend pod, answers that named no pod, and
 * failures by kind.
 */
public record Tally(int sent, int answered, int refused, int timedOut, int failed, Map<String, Integer> byBackend,
                    int unattributed, String firstFailure) {

    public static Tally of(List<Outcome> outcomes) {
        int answered = 0, refused = 0, timedOut = 0, failed = 0, unattributed = 0;
        Map<String, Integer> by = new TreeMap<>();
        String firstFailure = null;
        for (Outcome o : outcomes) {
            switch (o.status()) {
                case ANSWERED -> {
                    answered++;
                    if (o.backend() == null) unattributed++;
                    else by.merge(o.backend(), 1, Integer::sum);
                }
                case REFUSED -> refused++;
                case TIMED_OUT -> timedOut++;
                case FAILED -> {
                    failed++;
                    if (firstFailure == null) firstFailure = o.detail();
                }
            }
        }
        return new Tally(outcomes.size(), answered, refused, timedOut, failed, Collections.unmodifiableMap(by), unattributed, firstFailure);
    }

    public int notAnswered() {
        return sent - answered;
    }

    public int count(String backend) {
        return byBackend.getOrDefault(backend, 0);
    }

    /** "29 refused, 1 timed out", or "" when every request was answered. */
    public String failures() {
        List<String> parts = new ArrayList<>();
        if (refused > 0) parts.add(refused + " refused");
        if (timedOut > 0) parts.add(timedOut + " timed out");
        if (failed > 0) parts.add(failed + " failed (" + firstFailure + ")");
        return String.join(", ", parts);
    }
}
