package io.kubenetlab.lab;

import io.kubenetlab.model.LabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The host programs the netns runtime runs, checked before anything is created. */
public final class HostTools {
    /** Program and the Debian package that provides it. */
    static final Map<String, String> REQUIRED = new java.util.TreeMap<>(Map.ofEntries(
            Map.entry("ip", "iproute2"),
            Map.entry("nsenter", "util-linux"),
            Map.entry("unshare", "util-linux"),
            Map.entry("setsid", "util-linux"),
            Map.entry("sysctl", "procps"),
            Map.entry("env", "coreutils"),
            Map.entry("mount", "mount"),
            Map.entry("sh", "dash"),
            Map.entry("iptables-legacy-restore", "iptables"),
            Map.entry("iptables-legacy-save", "iptables")));

    private HostTools() {}

    public static void check() {
        check(Map.of(), "");
    }

    /** As {@link #check()}, and the programs a network plugin runs too ({@code what}: whose they are, for the message). */
    public static void check(Map<String, String> extra, String what) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LabException("kubenetlab creates network namespaces and must run as root (try: sudo kubenetlab ...)");
        }
        List<String> missing = missing(REQUIRED, null);
        missing.addAll(missing(extra, what));
        if (!java.nio.file.Files.isDirectory(Path.of("/proc/sys/net/bridge"))) {
            // bridge-nf-call-iptables lives in br_netfilter; load it if we can.
            io.kubenetlab.kernel.Kernel.linux().modprobe("br_netfilter");
            if (!java.nio.file.Files.isDirectory(Path.of("/proc/sys/net/bridge"))) {
                missing.add("the br_netfilter kernel module (modprobe br_netfilter; Debian package kmod)");
            }
        }
        if (!missing.isEmpty()) {
            throw new LabException("missing host tools: " + String.join(", ", missing) + "; run scripts/setup.sh to install them");
        }
    }

    /** The tools of {@code tools} (tool -> Debian package) this host lacks, worded for the error ({@code what}: whose). */
    static List<String> missing(Map<String, String> tools, String what) {
        List<String> out = new ArrayList<>();
        new java.util.TreeMap<>(tools).forEach((tool, pkg) -> {
            if (which(tool) == null) out.add(tool + " (Debian package " + pkg + (what == null ? "" : ", for " + what) + ")");
        });
        return out;
    }

    static Path which(String tool) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
