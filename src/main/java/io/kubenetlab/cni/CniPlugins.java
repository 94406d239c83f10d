package io.kubenetlab.cni;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The network plugins by name: a new plugin is one file in this package and one line here. */
public final class CniPlugins {
    private static final Map<String, CniPlugin> PLUGINS = new LinkedHashMap<>();

    static {
        register(new RoutedCni());
        register(new HostGwCni());
        register(new VxlanCni());
        register(new BgpCni());
    }

    private CniPlugins() {}

    private static void register(CniPlugin p) {
        PLUGINS.put(p.name(), p);
    }

    public static List<String> names() {
        return List.copyOf(PLUGINS.keySet());
    }

    public static CniPlugin of(String name) {
        CniPlugin p = PLUGINS.get(name);
        if (p == null) throw new IllegalArgumentException("unknown network plugin \"" + name + "\" (known: " + String.join(", ", names()) + ")");
        return p;
    }
}
