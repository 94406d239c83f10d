package io.kubenetlab.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    @Test
    void messageNamesFileLineFieldAndReason() {
        ConfigException e = new ConfigException("lab.yaml", 7, "nodes[0].address", "10.1.0.2 is outside 10.100.0.0/24");
        assertThat(e).hasMessage("lab.yaml:7: nodes[0].address: 10.1.0.2 is outside 10.100.0.0/24");
        assertThat(e.file()).isEqualTo("lab.yaml");
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.field()).isEqualTo("nodes[0].address");
        assertThat(e.reason()).isEqualTo("10.1.0.2 is outside 10.100.0.0/24");
    }

    @Test
    void partsAreOptional() {
        assertThat(new ConfigException("lab.yaml", "clusterCIDR", "bad")).hasMessage("lab.yaml: clusterCIDR: bad");
        assertThat(new ConfigException("lab.yaml", "clusterCIDR", "bad").line()).isZero();
        assertThat(new ConfigException("lab.yaml", 3, null, "malformed YAML")).hasMessage("lab.yaml:3: malformed YAML");
        assertThat(new ConfigException("lab.yaml", 3, "", "x")).hasMessage("lab.yaml:3: x");
        assertThat(new ConfigException(null, "f", "x")).hasMessage("f: x");
        assertThat(new ConfigException(null, null, "x")).hasMessage("x");
    }
}
