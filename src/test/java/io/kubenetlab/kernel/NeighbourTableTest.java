package io.kubenetlab.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NeighbourTableTest {
    @Test
    void theArticlesLabFitsEasily() {
        assertThat(NeighbourTable.entriesNeeded(6, 5)).isEqualTo(32);
        assertThat(NeighbourTable.warning(32, 1024)).isEmpty();
        assertThat(NeighbourTable.warning(1024, 1024)).isEmpty();
    }

    @Test
    void aLabPastTheLimitIsToldWhatToRaiseAndToWhat() {
        int needed = NeighbourTable.entriesNeeded(2001, 10);
        assertThat(needed).isEqualTo(4042);
        String w = NeighbourTable.warning(needed, 1024).orElseThrow();
        assertThat(w).startsWith("warning: this lab's traffic may need about 4042 neighbour (ARP) entries")
                .contains("at most 1024").contains("gc_thresh3").contains("neighbor table overflow")
                .endsWith("sysctl -w net.ipv4.neigh.default.gc_thresh2=4096 net.ipv4.neigh.default.gc_thresh3=8192");
        assertThat(NeighbourTable.warning(1025, 1024).orElseThrow()).endsWith("gc_thresh2=2048 net.ipv4.neigh.default.gc_thresh3=4096");
    }

    @Test
    void theHostsLimitIsReadWhole() throws Exception {
        Process p = new ProcessBuilder("cat", NeighbourTable.LIMIT.toString()).start();
        int expected = Integer.parseInt(new String(p.getInputStream().readAllBytes()).trim());
        assertThat(p.waitFor()).isZero();
        assertThat(NeighbourTable.limit()).hasValue(expected);
    }
}
