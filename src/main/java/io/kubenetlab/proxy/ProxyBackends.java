package io.kubenetlab.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kube-proxy's modes by name: a new mode is one backend class and one line here. */
public final class ProxyBackends {
    private static final Map<String, ProxyBackend> BACKENDS = new LinkedHashMap<>();

    static {
        register(new IptablesBackend());
        register(new NftablesBackend());
    }

    private ProxyBackends() {}

    private static void register(ProxyBackend b) {
        BACKENDS.put(b.mode(), b);
    }

    public static List<String> modes() {
        return List.copyOf(BACKENDS.keySet());
    }

    public static ProxyBackend of(String mode) {
        ProxyBackend b = BACKENDS.get(mode);
        if (b == null) throw new IllegalArgumentException("unknown kube-proxy mode \"" + mode + "\" (known: " + String.join(", ", modes()) + ")");
        return b;
    }
}
