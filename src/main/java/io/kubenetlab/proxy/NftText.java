package io.kubenetlab.proxy;

import io.kubenetlab.proxy.NftTable.Chain;
import io.kubenetlab.proxy.NftTable.Container;
import io.kubenetlab.proxy.NftTable.Element;
import java.util.Optional;

/**
 * The text of an {@code nft -f} transaction in knftables' spelling ("add rule ip kube-proxy CHAIN ...",
 * "add element ip kube-proxy MAP { KEY comment "C" : VALUE }"), which is also what upstream's tests
 * compare. {@link #write} puts every declaration before its first use: table, sets and maps, chains,
 * rules, elements. {@link #parse} reads that text back, and only that text.
 */
final class NftText {
    private NftText() {}

    /** The whole table, for a namespace that does not have it yet. */
    static String write(NftTable t) {
        StringBuilder out = new StringBuilder(4096);
        declarations(out, t, false);
        body(out, t);
        return out.toString();
    }

    /** The table, its sets and maps (and with {@code flushContainers} their old elements flushed, dynamic ones kept). */
    static void declarations(StringBuilder out, NftTable t, boolean flushContainers) {
        line(out, "add table " + t.family() + " " + t.name() + " { comment " + quote(t.comment()) + " ; }");
        for (Container c : t.containers().values()) line(out, addContainer(t, c));
        if (flushContainers) {
            for (Container c : t.containers().values()) if (!c.dynamic()) line(out, "flush " + c.kind() + " " + prefix(t) + c.name());
        }
    }

    /** The chains, then their rules, then the elements. */
    static void body(StringBuilder out, NftTable t) {
        for (Chain c : t.chains().values()) line(out, addChain(t, c));
        for (Chain c : t.chains().values()) for (String r : c.rules()) line(out, addRule(t, c.name(), r));
        for (Element e : t.elements().values()) line(out, addElement(t, e));
    }

    static String prefix(NftTable t) {
        return t.family() + " " + t.name() + " ";
    }

    static String addContainer(NftTable t, Container c) {
        return "add " + c.kind() + " " + prefix(t) + c.name() + " " + c.spec();
    }

    static String addChain(NftTable t, Chain c) {
        return "add chain " + prefix(t) + c.name() + (c.spec().isEmpty() ? "" : " " + c.spec());
    }

    static String addRule(NftTable t, String chain, String rule) {
        return "add rule " + prefix(t) + chain + " " + rule;
    }

    static String addElement(NftTable t, Element e) {
        StringBuilder s = new StringBuilder("add element ").append(prefix(t)).append(e.container()).append(" { ").append(e.key());
        if (e.comment() != null) s.append(" comment ").append(quote(e.comment()));
        if (e.value() != null) s.append(" : ").append(e.value());
        return s.append(" }").toString();
    }

    /** nft finds an element by its key alone. */
    static String deleteElement(NftTable t, Element e) {
        return "delete element " + prefix(t) + e.container() + " { " + e.key() + " }";
    }

    static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append('\n');
    }

    /**
     * Reads text that {@link #write} wrote. Anything else (null, blank, nft's own "list" output, a
     * table other than one, a line we do not write) is empty: the caller does not know what is there.
     */
    static Optional<NftTable> parse(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        NftTable.Builder b = null;
        String family = null;
        String table = null;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] w = line.split(" ", 6);
            if (w.length < 5 || !w[0].equals("add")) return Optional.empty();
            if (w[1].equals("table")) {
                if (b != null) return Optional.empty();
                int open = line.indexOf('"');
                int close = line.lastIndexOf('"');
                if (open < 0 || close <= open) return Optional.empty();
                family = w[2];
                table = w[3];
                b = NftTable.builder(family, table, line.substring(open + 1, close));
                continue;
            }
            if (b == null || !w[2].equals(family) || !w[3].equals(table)) return Optional.empty();
            String name = w[4];
            String rest = w.length == 6 ? w[5] : "";
            try {
                switch (w[1]) {
                    case "set" -> b.set(name, rest);
                    case "map" -> b.map(name, rest);
                    case "chain" -> b.chain(name, rest);
                    case "rule" -> b.rule(name, rest);
                    case "element" -> {
                        if (!rest.startsWith("{ ") || !rest.endsWith(" }")) return Optional.empty();
                        element(b, name, rest.substring(2, rest.length() - 2));
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            } catch (IllegalStateException e) {
                return Optional.empty(); // used before it was declared: not our text
            }
        }
        return Optional.ofNullable(b).map(NftTable.Builder::build);
    }

    /** "KEY", or for a map "KEY [comment "C"] : VALUE"; keys and our comments never hold " : ". */
    private static void element(NftTable.Builder b, String container, String inner) {
        String value = null;
        int colon = inner.lastIndexOf(" : ");
        String left = inner;
        if (colon >= 0) {
            value = inner.substring(colon + 3);
            left = inner.substring(0, colon);
        }
        String comment = null;
        int c = left.indexOf(" comment \"");
        if (c >= 0 && left.endsWith("\"")) {
            comment = left.substring(c + 10, left.length() - 1);
            left = left.substring(0, c);
        }
        b.element(container, left, comment, value);
    }
}
