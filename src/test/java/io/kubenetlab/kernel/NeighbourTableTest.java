package io.kubenetlab.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NeighbourTableTest {
    @Test
    void theArticlesLabFitsEasily() {
        assertThat(NeighbourTable.entriesNeeded(6, 5)).isEqualTo(26);
        assertThat(NeighbourTable.warning(26, 1024)).isEmpty();
        assertThat(NeighbourTable.warning(1024, 1024)).isEmpty();
    }

    @Test
    void aLabPastTheLimitIsToldWhatToRaiseAndToWhat() {
        int needed = NeighbourTable.entriesNeeded(4001, 10);
        assertThat(needed).isEqualTo(4041);
        String w = NeighbourTable.warning(needed, 1024).orElseThrow();
        assertThat(w).startsWith("warning: this lab's traffic may need about 4041 neighbour (ARP) entries")
                .contains("at most 1024").contains("gc_thresh3").contains("neighbor table overflow")
                .endsWith("sysctl -w net.ipv4.neigh.default.gc_thresh2=4096 net.ipv4.neigh.default.gc_thresh3=8192");
        assertThat(NeighbourTable.warning(1025, 1024).orElseThrow()).endsWith("gc_thresh2=2048 net.ipv4.neigh.default.gc_thresh3=4096");
    }

    @Test
    void usageIsTheEntriesAndTheTimesFullOfEveryCpu() {
        String stat = """
                entries  allocs   destroys hash_grows lookups  hits     res_failed rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls
                000003f1 0000d4c4 0000da7d 00000004   0043293a 0001350b 0000000a   00000000         00000000         00000aa3         00000814       00000000            00000400
                000003f1 0000cdba 0000c7df 00000004   0040941b 0001302c 00000007   00000000         00000000         00000000         00000797       00000000            0000039a
                """;
        assertThat(NeighbourTable.usage(stat)).isEqualTo(new NeighbourTable.Usage(1009, 1946));
        assertThat(NeighbourTable.usage()).isPresent();
    }

    @Test
    void theHostsLimitIsReadWhole() throws Exception {
        Process p = new ProcessBuilder("cat", NeighbourTable.LIMIT.toString()).start();
        int expected = Integer.parseInt(new String(p.getInputStream().readAllBytes()).trim());
        assertThat(p.waitFor()).isZero();
        assertThat(NeighbourTable.limit()).hasValue(expected);
    }
}
