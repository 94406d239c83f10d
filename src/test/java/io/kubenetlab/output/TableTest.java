package io.kubenetlab.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsArePaddedToTheWidestCellPlusThreeSpaces() {
        Table t = new Table(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"))
                .row(List.of("service-test-6b9c5-abcde", "1/1", "Running", "0", "5m3s"))
                .row(List.of("service-test-client1", "0/1", "Completed", "0", "2m"));
        assertThat(t.render()).isEqualTo(
                "NAME                       READY   STATUS      RESTARTS   AGE\n"
              + "service-test-6b9c5-abcde   1/1     Running     0          5m3s\n"
              + "service-test-client1       0/1     Completed   0          2m\n");
    }

    @Test
    void headersOnly() {
        Table t = new Table(List.of("NAME", "STATUS"));
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.render()).isEqualTo("NAME   STATUS\n");
    }

    @Test
    void isEmptyTracksRows() {
        Table t = new Table(List.of("NAME"));
        assertThat(t.row(List.of("a"))).isSameAs(t);
        assertThat(t.isEmpty()).isFalse();
    }

    @Test
    void trailingBlanksAreStripped() {
        Table t = new Table(List.of("NAME", "NOMINATED NODE", "READINESS GATES"))
                .row(List.of("p", "<none>", ""));
        assertThat(t.render()).isEqualTo(
                "NAME   NOMINATED NODE   READINESS GATES\n"
              + "p      <none>\n");
        assertThat(t.render().lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    }

    @Test
    void emptyCellsInTheMiddleKeepAlignment() {
        Table t = new Table(List.of("A", "B", "C")).row(List.of("", "", "x")).row(List.of("long", "yy", ""));
        assertThat(t.render()).isEqualTo(
                "A      B    C\n"
              + "            x\n"
              + "long   yy\n");
    }

    @Test
    void lastColumnIsNotPadded() {
        Table t = new Table(List.of("NAME", "IP")).row(List.of("a", "10.0.1.2")).row(List.of("b", "10.0.2.22"));
        assertThat(t.render()).isEqualTo("NAME   IP\na      10.0.1.2\nb      10.0.2.22\n");
    }
}
