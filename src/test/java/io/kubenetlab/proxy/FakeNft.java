package io.kubenetlab.proxy;

import io.kubenetlab.proxy.NftTable.Chain;
import io.kubenetlab.proxy.NftTable.Container;
import io.kubenetlab.proxy.NftTable.Element;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the kernel's one kube-proxy table, for unit tests: applies the commands our
 * transactions use, all or nothing, and refuses what nft refuses (a rule or element naming a chain or
 * set that does not exist, deleting a chain or set still referenced, deleting a missing element,
 * re-declaring a base chain with another hook or priority). Like knftables' Fake in upstream's tests.
 * The real parser and kernel are exercised by NftablesRulesLoadIT.
 */
final class FakeNft {
    private static final Pattern CHAIN_REF = Pattern.compile("(?:goto|jump) (\\S+)");
    private static final Pattern SET_REF = Pattern.compile("@(\\S+)");

    private String comment;
    private boolean exists;
    private Map<String, Container> containers = new LinkedHashMap<>();
    private Map<String, String> specs = new LinkedHashMap<>();
    private Map<String, List<String>> rules = new LinkedHashMap<>();
    private Map<String, Element> elements = new LinkedHashMap<>();
    /** Commands in the last successful transaction. */
    int lastOperations;

    /** Applies a transaction; on any error nothing changes and the error is thrown. */
    void apply(String transaction) {
        FakeNft copy = copy();
        int ops = 0;
        for (String line : transaction.split("\n")) {
            if (line.isBlank()) continue;
            copy.command(line);
            ops++;
        }
        comment = copy.comment;
        exists = copy.exists;
        containers = copy.containers;
        specs = copy.specs;
        rules = copy.rules;
        elements = copy.elements;
        lastOperations = ops;
    }

    /** The table in render()'s text form ("" when there is none). */
    String dump() {
        if (!exists) return "";
        Map<String, Chain> chains = new LinkedHashMap<>();
        specs.forEach((n, s) -> chains.put(n, new Chain(n, s, rules.get(n))));
        return NftText.write(new NftTable("ip", "kube-proxy", comment == null ? "" : comment, containers, chains, elements));
    }

    private FakeNft copy() {
        FakeNft c = new FakeNft();
        c.comment = comment;
        c.exists = exists;
        c.containers = new LinkedHashMap<>(containers);
        c.specs = new LinkedHashMap<>(specs);
        rules.forEach((k, v) -> c.rules.put(k, new ArrayList<>(v)));
        c.elements = new LinkedHashMap<>(elements);
        return c;
    }

    private void command(String line) {
        String[] w = line.split(" ", 6);
        if (!w[2].equals("ip") || !w[3].equals("kube-proxy")) throw fail(line, "not our table");
        String verb = w[0] + " " + w[1];
        if (w[1].equals("table")) {
            table(verb, line);
            return;
        }
        if (!exists) throw fail(line, "No such file or directory (no table)");
        String name = w[4];
        String rest = w.length == 6 ? w[5] : "";
        switch (verb) {
            case "add set", "add map" -> containers.put(name, new Container(w[1], name, rest));
            case "flush set", "flush map" -> {
                need(containers.containsKey(name), line, "no such set");
                elements.values().removeIf(e -> e.container().equals(name));
            }
            case "delete set", "delete map" -> {
                need(containers.containsKey(name), line, "no such set");
                need(rules.values().stream().flatMap(List::stream).noneMatch(r -> refs(SET_REF, r).contains(name)), line, "Device or resource busy (set in use)");
                containers.remove(name);
                elements.values().removeIf(e -> e.container().equals(name));
            }
            case "add chain" -> {
                String had = specs.get(name);
                if (had == null) {
                    specs.put(name, rest);
                    rules.put(name, new ArrayList<>());
                } else {
                    need(rest.isEmpty() || rest.equals(had), line, "Operation not supported (chain declared otherwise)");
                }
            }
            case "flush chain" -> {
                need(specs.containsKey(name), line, "no such chain");
                rules.get(name).clear();
            }
            case "delete chain" -> {
                need(specs.containsKey(name), line, "no such chain");
                need(!referenced(name), line, "Device or resource busy (chain in use)");
                specs.remove(name);
                rules.remove(name);
            }
            case "add rule" -> {
                need(specs.containsKey(name), line, "no such chain");
                for (String c : refs(CHAIN_REF, rest)) need(specs.containsKey(c), line, "no such chain " + c);
                for (String s : refs(SET_REF, rest)) need(containers.containsKey(s), line, "no such set " + s);
                rules.get(name).add(rest);
            }
            case "add element", "delete element" -> element(verb, name, rest, line);
            default -> throw fail(line, "unknown command");
        }
    }

    private void table(String verb, String line) {
        switch (verb) {
            case "add table" -> {
                exists = true;
                int q = line.indexOf('"');
                if (q >= 0) comment = line.substring(q + 1, line.lastIndexOf('"'));
            }
            case "flush table" -> {
                need(exists, line, "no table");
                rules.values().forEach(List::clear);
            }
            case "delete table" -> {
                need(exists, line, "no table");
                exists = false;
                comment = null;
                containers.clear();
                specs.clear();
                rules.clear();
                elements.clear();
            }
            default -> throw fail(line, "unknown command");
        }
    }

    private void element(String verb, String container, String body, String line) {
        Container c = containers.get(container);
        need(c != null, line, "no such set " + container);
        // Parse the element as NftText does, through a one-element table.
        String text = "add table ip kube-proxy { comment \"x\" ; }\n" + NftText.addContainer(new NftTable("ip", "kube-proxy", "x", Map.of(), Map.of(), Map.of()), c)
                + "\nadd element ip kube-proxy " + container + " " + body + "\n";
        Element e;
        if (verb.equals("delete element")) {
            String key = body.substring(2, body.length() - 2);
            need(elements.remove(Element.id(container, key)) != null, line, "No such file or directory (element)");
            return;
        }
        e = NftText.parse(text).orElseThrow(() -> fail(line, "unparsable element")).elements().values().iterator().next();
        if (e.value() != null) for (String ch : refs(CHAIN_REF, e.value())) need(specs.containsKey(ch), line, "no such chain " + ch);
        Element had = elements.get(e.id());
        need(had == null || had.value() == null || had.value().equals(e.value()), line, "File exists (element with another value)");
        elements.put(e.id(), e);
    }

    private boolean referenced(String chain) {
        for (List<String> rs : rules.values()) for (String r : rs) if (refs(CHAIN_REF, r).contains(chain)) return true;
        for (Element e : elements.values()) if (e.value() != null && refs(CHAIN_REF, e.value()).contains(chain)) return true;
        return false;
    }

    private static List<String> refs(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static void need(boolean ok, String line, String why) {
        if (!ok) throw fail(line, why);
    }

    private static IllegalStateException fail(String line, String why) {
        return new IllegalStateException(why + ": " + line);
    }
}
