package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a deploy says before it creates anything when a network plugin's program is missing. */
class HostToolsTest {
    @Test
    void aMissingPluginToolNamesItsPackageAndThePlugin() {
        assertThat(HostTools.missing(Map.of("no-such-bird-xyz", "bird2", "sh", "dash"), "the bgp network plugin"))
                .containsExactly("no-such-bird-xyz (Debian package bird2, for the bgp network plugin)");
        assertThat(HostTools.missing(Map.of("sh", "dash"), null)).isEmpty();
    }
}
