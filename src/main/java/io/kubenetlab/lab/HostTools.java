package io.kubenetlab.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The host programs the netns runtime runs, checked before anything is created. */
public final class HostTools {
    /** Program and the Debian package that provides it. */
    static final Map<String, String> REQUIRED = Map.of(
            "ip", "iproute2",
            "nsenter", "util-linux",
            "unshare", "util-linux",
            "setsid", "util-linux",
            "sysctl", "procps",
            "env", "coreutils",
            "hostname", "hostname",
            "mount", "mount",
            "sh", "dash");

    private HostTools() {}

    public static void check() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LabException("kubenetlab creates network namespaces and must run as root (try: sudo kubenetlab ...)");
        }
        List<String> missing = new ArrayList<>();
        REQUIRED.forEach((tool, pkg) -> {
            if (which(tool) == null) missing.add(tool + " (Debian package " + pkg + ")");
        });
        if (!missing.isEmpty()) {
            throw new LabException("missing host tools: " + String.join(", ", missing) + "; run scripts/setup.sh to install them");
        }
    }

    static Path which(String tool) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
