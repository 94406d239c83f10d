package io.kubenetlab.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node that knows where it came from (file, line, dotted field path), so every validation
 * error can name the file, the field and the line. Reading is strict: {@link #checkFields} rejects
 * fields we do not know, the way {@code kubectl apply} does with server-side field validation.
 */
public final class YamlNode {
    /** The largest YAML file read: SnakeYAML's own default limit on a document (3 MiB), checked before reading. */
    public static final long MAX_FILE_BYTES = 3L * 1024 * 1024;

    private final String file;
    private final String path;
    private final Node node;

    private YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** Every document of a (possibly multi-document) YAML file; empty documents are skipped. */
    public static List<YamlNode> loadAll(Path file) {
        String name = file.toString();
        String text;
        try {
            // A directory, a device (/dev/zero) or a huge file would hang or exhaust the heap: refuse them first.
            if (Files.isDirectory(file)) throw new ConfigException(name, null, "is a directory, not a YAML file");
            if (Files.exists(file) && !Files.isRegularFile(file)) throw new ConfigException(name, null, "not a regular file");
            if (Files.exists(file) && Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(name, null, "too large (" + Files.size(file) + " bytes; at most " + MAX_FILE_BYTES + ")");
            }
            text = Files.readString(file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ConfigException(name, null, "not UTF-8 text: YAML files must be UTF-8");
        } catch (IOException e) {
            throw new ConfigException(name, null, "cannot read file: " + e.getMessage());
        }
        return loadAll(name, new StringReader(text));
    }

    public static List<YamlNode> loadAll(String name, Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(options);
        List<YamlNode> docs = new ArrayList<>();
        try {
            for (Node n : yaml.composeAll(reader)) {
                if (n != null && !(n instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
                    rejectDuplicateKeys(name, "", n, Collections.newSetFromMap(new IdentityHashMap<>()));
                    docs.add(new YamlNode(name, "", n));
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new ConfigException(name, line, null, "malformed YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(name, null, "malformed YAML: " + e.getMessage());
        }
        return docs;
    }

    /**
     * SnakeYAML checks duplicate keys only when it constructs Java objects, not when it composes
     * nodes, so {@code setAllowDuplicateKeys(false)} alone does not reach us: check every mapping.
     */
    private static void rejectDuplicateKeys(String file, String path, Node node, Set<Node> seen) {
        if (!seen.add(node)) return; // aliases may point back up the tree
        if (node instanceof MappingNode m) {
            Map<String, Node> keys = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
                String childPath = key == null ? path : path.isEmpty() ? key : path + "." + key;
                if (key != null) {
                    Node first = keys.putIfAbsent(key, t.getKeyNode());
                    if (first != null) {
                        throw new YamlNode(file, childPath, t.getKeyNode()).error("duplicate key \"" + key
                                + "\" (first defined at line " + (first.getStartMark().getLine() + 1) + ")");
                    }
                }
                rejectDuplicateKeys(file, childPath, t.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode sq) {
            for (int i = 0; i < sq.getValue().size(); i++) {
                rejectDuplicateKeys(file, path + "[" + i + "]", sq.getValue().get(i), seen);
            }
        }
    }

    public String file() { return file; }
    public String path() { return path; }
    public int line() { return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1; }

    /** An error about this node. */
    public ConfigException error(String reason) {
        return new ConfigException(file, line(), path, reason);
    }

    /** An error about a field of this mapping that may be absent (so has no node of its own). */
    public ConfigException errorAt(String key, String reason) {
        return new ConfigException(file, line(), child(key), reason);
    }

    public boolean isMapping() { return node instanceof MappingNode; }
    public boolean isSequence() { return node instanceof SequenceNode; }
    public boolean isNull() { return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL); }

    private MappingNode mapping() {
        if (!(node instanceof MappingNode m)) throw error("must be a mapping (key: value)");
        return m;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Ordered entries of a mapping. */
    public Map<String, YamlNode> entries() {
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping().getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(file, path, t.getKeyNode()).error("keys must be plain strings");
            }
            out.put(k.getValue(), new YamlNode(file, child(k.getValue()), t.getValueNode()));
        }
        return out;
    }

    /** Rejects any field not in {@code allowed}: a typo must not be silently ignored. */
    public YamlNode checkFields(Set<String> allowed) {
        for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("unknown field \"" + e.getKey() + "\" (known: "
                        + String.join(", ", new LinkedHashSet<>(allowed)) + ")");
            }
        }
        return this;
    }

    public YamlNode checkFields(String... allowed) {
        return checkFields(Set.of(allowed));
    }

    public Optional<YamlNode> get(String key) {
        YamlNode v = entries().get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    public YamlNode require(String key) {
        return get(key).orElseThrow(() -> errorAt(key, "is required"));
    }

    public List<YamlNode> items() {
        if (!(node instanceof SequenceNode s)) throw error("must be a list");
        List<YamlNode> out = new ArrayList<>();
        List<Node> values = s.getValue();
        for (int i = 0; i < values.size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", values.get(i)));
        }
        return out;
    }

    public String string() {
        if (!(node instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) throw error("must be a string");
        return s.getValue();
    }

    public int integer() {
        if (!(node instanceof ScalarNode s) || !s.getTag().equals(Tag.INT)) throw error("must be an integer");
        try {
            return Integer.parseInt(s.getValue());
        } catch (NumberFormatException e) {
            throw error("must be an integer, got \"" + s.getValue() + "\"");
        }
    }

    public boolean bool() {
        if (!(node instanceof ScalarNode s) || !s.getTag().equals(Tag.BOOL)) throw error("must be true or false");
        // YAML 1.1 booleans (what SnakeYAML resolves): yes/no and on/off as well as true/false.
        return Set.of("true", "yes", "on").contains(s.getValue().toLowerCase(Locale.ROOT));
    }

    public List<String> strings() {
        List<String> out = new ArrayList<>();
        for (YamlNode item : items()) out.add(item.string());
        return out;
    }

    /** A string-to-string mapping such as labels; values must be scalars. */
    public Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
            out.put(e.getKey(), e.getValue().string());
        }
        return out;
    }

    public String optString(String key, String def) {
        return get(key).map(YamlNode::string).orElse(def);
    }

    /** Converts to plain Java collections, e.g. to keep an object's unknown-but-accepted parts. */
    public Object toPlain() {
        if (node instanceof ScalarNode s) return s.getValue();
        if (node instanceof SequenceNode) {
            List<Object> l = new ArrayList<>();
            for (YamlNode i : items()) l.add(i.toPlain());
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        entries().forEach((k, v) -> m.put(k, v.toPlain()));
        return m;
    }

    /**
     * As JSON, scalars typed the way YAML resolved them (8080 a number, true a boolean): how the API
     * serves the object a manifest described.
     */
    public com.fasterxml.jackson.databind.JsonNode toJson() {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            Tag tag = s.getTag();
            try {
                if (tag.equals(Tag.NULL)) return f.nullNode();
                if (tag.equals(Tag.BOOL)) return f.booleanNode(Boolean.parseBoolean(v.toLowerCase()));
                if (tag.equals(Tag.INT)) return f.numberNode(Long.decode(v.replace("_", "")));
                if (tag.equals(Tag.FLOAT)) return f.numberNode(Double.parseDouble(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return f.textNode(v);
            }
            return f.textNode(v);
        }
        if (node instanceof SequenceNode) {
            var a = f.arrayNode();
            for (YamlNode i : items()) a.add(i.toJson());
            return a;
        }
        var o = f.objectNode();
        entries().forEach((k, v) -> o.set(k, v.toJson()));
        return o;
    }
}
