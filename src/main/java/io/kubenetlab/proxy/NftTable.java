package io.kubenetlab.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One nftables table as kube-proxy writes it: its sets and maps, its chains with their rules, and the
 * elements of its sets and maps, each in the order they were added. The renderer builds it, the text
 * form ({@link NftText}) writes and reads it, and the sync diffs two of them.
 */
record NftTable(String family, String name, String comment, Map<String, Container> containers,
        Map<String, Chain> chains, Map<String, Element> elements) {

    NftTable {
        containers = Collections.unmodifiableMap(new LinkedHashMap<>(containers));
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        elements = Collections.unmodifiableMap(new LinkedHashMap<>(elements));
    }

    /**
     * A set or a map.
     *
     * @param kind "set" or "map"
     * @param spec its declaration, "{ type ... ; }"
     */
    record Container(String kind, String name, String spec) {
        /** Elements a rule adds (client affinity): the datapath's state, never ours to flush. */
        boolean dynamic() {
            return spec.contains("flags dynamic");
        }
    }

    /** @param spec "" for a regular chain, "{ type filter hook input priority -110 ; }" for a base chain */
    record Chain(String name, String spec, List<String> rules) {
        Chain {
            rules = List.copyOf(rules);
        }
    }

    /**
     * One element.
     *
     * @param key     "172.30.0.41 . tcp . 80"
     * @param comment null = none (upstream comments the no-endpoint elements with the service port name)
     * @param value   a map element's verdict; null in a set
     */
    record Element(String container, String key, String comment, String value) {
        /** Elements are identified by their set and key: a second value for a key replaces the first. */
        String id() {
            return id(container, key);
        }

        static String id(String container, String key) {
            return container + " { " + key;
        }
    }

    static Builder builder(String family, String name, String comment) {
        return new Builder(family, name, comment);
    }

    /** Collects a table; every name must be declared before it is used, as nft requires. */
    static final class Builder {
        private final String family;
        private final String name;
        private final String comment;
        private final Map<String, Container> containers = new LinkedHashMap<>();
        private final Map<String, String> chainSpecs = new LinkedHashMap<>();
        private final Map<String, List<String>> rules = new LinkedHashMap<>();
        private final Map<String, Element> elements = new LinkedHashMap<>();

        private Builder(String family, String name, String comment) {
            this.family = family;
            this.name = name;
            this.comment = comment;
        }

        Builder set(String setName, String spec) {
            containers.putIfAbsent(setName, new Container("set", setName, spec));
            return this;
        }

        Builder map(String mapName, String spec) {
            containers.putIfAbsent(mapName, new Container("map", mapName, spec));
            return this;
        }

        /** Declares a regular chain; declaring it again is a no-op (upstream's ensureChain). */
        Builder chain(String chainName) {
            return chain(chainName, "");
        }

        Builder chain(String chainName, String spec) {
            if (!chainSpecs.containsKey(chainName)) {
                chainSpecs.put(chainName, spec);
                rules.put(chainName, new ArrayList<>());
            }
            return this;
        }

        boolean hasChain(String chainName) {
            return chainSpecs.containsKey(chainName);
        }

        Builder rule(String chainName, String rule) {
            List<String> list = rules.get(chainName);
            if (list == null) throw new IllegalStateException("rule for undeclared chain " + chainName + ": " + rule);
            list.add(rule);
            return this;
        }

        /** Adds or replaces (same set and key) an element, as upstream's ensureElem does. */
        Builder element(String container, String key, String elementComment, String value) {
            Container c = containers.get(container);
            if (c == null) throw new IllegalStateException("element of undeclared set " + container);
            if (c.kind().equals("map") != (value != null)) throw new IllegalStateException("a map element has a value, a set element none: " + key);
            Element e = new Element(container, key, elementComment, value);
            elements.put(e.id(), e);
            return this;
        }

        NftTable build() {
            Map<String, Chain> chains = new LinkedHashMap<>();
            chainSpecs.forEach((n, spec) -> chains.put(n, new Chain(n, spec, rules.get(n))));
            return new NftTable(family, name, comment, containers, chains, elements);
        }
    }
}
