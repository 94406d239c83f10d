package io.kubenetlab.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads pods across nodes: the node with the fewest pods wins, ties go to the node listed first.
 * Deterministic on purpose: the article's second replica lands on node 2 and gets 10.0.2.2.
 */
public final class Scheduler {
    private final Map<String, Integer> load = new LinkedHashMap<>();

    public Scheduler(List<String> nodesInOrder) {
        nodesInOrder.forEach(n -> load.put(n, 0));
    }

    /** Records a pod already bound to a node. */
    public void bound(String node) {
        load.merge(node, 1, Integer::sum);
    }

    public void unbound(String node) {
        load.computeIfPresent(node, (k, v) -> Math.max(0, v - 1));
    }

    /** Picks a node (or honours {@code nodeName}) and records the binding. */
    public String schedule(String nodeName) {
        String chosen = nodeName;
        if (chosen == null) {
            int best = Integer.MAX_VALUE;
            for (Map.Entry<String, Integer> e : load.entrySet()) {
                if (e.getValue() < best) {
                    best = e.getValue();
                    chosen = e.getKey();
                }
            }
        } else if (!load.containsKey(chosen)) {
            throw new IllegalArgumentException("node \"" + nodeName + "\" does not exist (nodes: " + String.join(", ", load.keySet()) + ")");
        }
        bound(chosen);
        return chosen;
    }
}
