package io.kubenetlab.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** {@code -o yaml} and {@code -o json} renderings of API-shaped maps. */
public final class Printer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Printer() {}

    public static String yaml(Map<String, Object> obj) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndicatorIndent(0);
        o.setIndent(2);
        return new Yaml(new BlockText(o), o).dump(obj);
    }

    /** Multi-line strings (rulesets) as YAML literal blocks, readable and copyable, instead of escaped lines. */
    private static final class BlockText extends org.yaml.snakeyaml.representer.Representer {
        BlockText(DumperOptions o) {
            super(o);
            this.representers.put(String.class, data -> {
                String s = data.toString();
                return representScalar(org.yaml.snakeyaml.nodes.Tag.STR, s,
                        s.contains("\n") && !s.contains("\t") ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN);
            });
        }
    }

    public static String json(Map<String, Object> obj) {
        try {
            return JSON.writeValueAsString(obj) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
