package io.kubenetlab.plan;

import java.util.List;
import java.util.Map;

/**
 * A long-running process a machine runs for its network plugin (a BGP daemon), restarted if it exits.
 * {@code files} are written into its own directory before it starts (name -> content); {@code {dir}}
 * in {@code argv} stands for that directory, which the runtime chooses.
 */
public record DaemonPlan(String name, List<String> argv, Map<String, String> files) {
    public static final String DIR = "{dir}";

    public DaemonPlan {
        argv = List.copyOf(argv);
        files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
    }

    /** The argv with {@code {dir}} replaced by the daemon's directory. */
    public List<String> argvIn(String dir) {
        return argv.stream().map(a -> a.replace(DIR, dir)).toList();
    }
}
