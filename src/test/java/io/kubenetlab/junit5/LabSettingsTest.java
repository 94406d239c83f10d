package io.kubenetlab.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenetlab.LabBuilder;
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

    @KubenetLab(builder = "lab")
    static class Built {
        static LabBuilder lab() {
            return io.kubenetlab.KubenetLab.builder().nodes(3);
        }
    }

    @KubenetLab(builder = "lab")
    static class BuiltByAnInstanceMethod {
        LabBuilder lab() {
            return io.kubenetlab.KubenetLab.builder();
        }
    }

    @KubenetLab(builder = "missing")
    static class BuilderMissing {}

    @KubenetLab(topology = "lab.yaml", builder = "lab")
    static class Both extends Built {}

    @KubenetLab
    static class Neither {}

    @Test
    void defaultsLeaveTheLabFilesChoices() {
        LabSettings s = LabSettings.of(LabSettings.find(Defaults.class).orElseThrow(), Defaults.class);
        assertThat(s).isEqualTo(new LabSettings(Path.of("topologies/service-network.yaml"), null, null, null, null,
                KubenetLab.Lifecycle.PER_CLASS, "defaults"));
    }

    @Test
    void everyAttributeIsRead() {
        LabSettings s = LabSettings.of(LabSettings.find(Everything.class).orElseThrow(), Everything.class);
        assertThat(s).isEqualTo(new LabSettings(Path.of("lab.yaml"), null, "docker", "host-gw", "nftables", KubenetLab.Lifecycle.PER_METHOD,
                "i15j-x"));
    }

    @Test
    void aBuilderMethodIsFoundAndChecked() throws Exception {
        LabSettings s = LabSettings.of(LabSettings.find(Built.class).orElseThrow(), Built.class);
        assertThat(s.topology()).isNull();
        assertThat(s.builder()).isEqualTo(Built.class.getDeclaredMethod("lab"));
        assertThatThrownBy(() -> LabSettings.of(LabSettings.find(BuiltByAnInstanceMethod.class).orElseThrow(), BuiltByAnInstanceMethod.class))
                .hasMessageContaining("BuiltByAnInstanceMethod.lab() must be static and return io.kubenetlab.LabBuilder");
        assertThatThrownBy(() -> LabSettings.of(LabSettings.find(BuilderMissing.class).orElseThrow(), BuilderMissing.class))
                .hasMessageContaining("no method missing()");
        for (Class<?> c : new Class<?>[] {Both.class, Neither.class}) {
            assertThatThrownBy(() -> LabSettings.of(LabSettings.find(c).orElseThrow(), c))
                    .hasMessageContaining("give exactly one of topology (a lab file) and builder");
        }
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
