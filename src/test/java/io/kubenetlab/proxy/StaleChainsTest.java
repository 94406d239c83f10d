package io.kubenetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaleChainsTest {
    static final String BEFORE = """
            *filter
            :KUBE-FORWARD - [0:0]
            COMMIT
            *nat
            :KUBE-SERVICES - [0:0]
            :KUBE-SVC-AAA - [0:0]
            :KUBE-SEP-ONE - [0:0]
            :KUBE-SEP-TWO - [0:0]
            -A KUBE-SVC-AAA -j KUBE-SEP-ONE
            -A KUBE-SEP-ONE -j DNAT
            COMMIT
            """;
    static final String AFTER = """
            *filter
            :KUBE-FORWARD - [0:0]
            COMMIT
            *nat
            :KUBE-SERVICES - [0:0]
            :KUBE-SVC-AAA - [0:0]
            :KUBE-SEP-ONE - [0:0]
            -A KUBE-SVC-AAA -j KUBE-SEP-ONE
            COMMIT
            """;

    @Test
    void chainsOfThePreviousSyncThatAreGoneAreFlushedAndDeleted() {
        assertThat(StaleChains.deleteStale(BEFORE, AFTER)).isEqualTo("""
                *filter
                :KUBE-FORWARD - [0:0]
                COMMIT
                *nat
                :KUBE-SEP-TWO - [0:0]
                :KUBE-SERVICES - [0:0]
                :KUBE-SVC-AAA - [0:0]
                :KUBE-SEP-ONE - [0:0]
                -A KUBE-SVC-AAA -j KUBE-SEP-ONE
                -X KUBE-SEP-TWO
                COMMIT
                """);
    }

    @Test
    void aFirstSyncOrNoChangeIsLeftAlone() {
        assertThat(StaleChains.deleteStale(null, AFTER)).isEqualTo(AFTER);
        assertThat(StaleChains.deleteStale(AFTER, AFTER)).isEqualTo(AFTER);
    }
}
