package io.kubenetlab.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.lab.Lab;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LabSettingsTest {
    @KubenetLab(topology = "topologies/service-network.yaml")
    static class Defaults {
        class Inner {}
    }

    @KubenetLab(topology = "lab.yaml", runtime = KubenetLab.Runtime.DOCKER, cni = "host-gw", proxyMode = "nftables",
            lifecycle = KubenetLab.Lifecycle.PER_METHOD, namePrefix = "i15j-x")
    static class Everything {}

    static class Subclass extends Everything {}

    static class None {}

    @KubenetLab(topology = "lab.yaml", namePrefix = "Bad_Prefix")
    static class BadPrefix {}

    @Test
    void defaultsLeaveTheLabFilesChoices() {
        LabSettings s = LabSettings.of(LabSettings.find(Defaults.class).orElseThrow(), Defaults.class);
        assertThat(s).isEqualTo(new LabSettings(Path.of("topologies/service-network.yaml"), "netns", null, null,
                KubenetLab.Lifecycle.PER_CLASS, "defaults"));
        Lab.Options o = s.options("defaults-abc123");
        assertThat(o.name()).isEqualTo("defaults-abc123");
        assertThat(o.runtime()).isEqualTo("netns");
        assertThat(o.cni()).isNull();
        assertThat(o.proxyMode()).isNull();
    }

    @Test
    void everyAttributeIsRead() {
        LabSettings s = LabSettings.of(LabSettings.find(Everything.class).orElseThrow(), Everything.class);
        assertThat(s).isEqualTo(new LabSettings(Path.of("lab.yaml"), "docker", "host-gw", "nftables", KubenetLab.Lifecycle.PER_METHOD, "i15j-x"));
        Lab.Options o = s.options("i15j-x-000000");
        assertThat(o.cni()).isEqualTo("host-gw");
        assertThat(o.proxyMode()).isEqualTo("nftables");
        assertThat(o.runtime()).isEqualTo("docker");
    }

    @Test
    void subclassesInheritTheAnnotationAndNestedClassesTheirOuterClasss() {
        assertThat(LabSettings.find(Subclass.class)).isPresent().get().extracting(KubenetLab::namePrefix).isEqualTo("i15j-x");
        assertThat(LabSettings.find(Defaults.Inner.class)).isPresent().get().extracting(KubenetLab::topology)
                .isEqualTo("topologies/service-network.yaml");
        assertThat(LabSettings.find(None.class)).isEmpty();
    }

    @Test
    void aBadPrefixIsRefusedWithTheRule() {
        assertThatThrownBy(() -> LabSettings.of(LabSettings.find(BadPrefix.class).orElseThrow(), BadPrefix.class))
                .hasMessageContaining("\"Bad_Prefix\"").hasMessageContaining("lower-case letters");
    }

    @Nested
    class NestedClass {
        @Test
        void aNestedTestClassFindsItsOuterClasssAnnotationOnlyIfTheOuterHasOne() {
            assertThat(LabSettings.find(NestedClass.class)).isEmpty();
        }
    }
}
