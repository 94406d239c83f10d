package io.kubenetlab.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** kubectl's printPod rule for a deleted pod: Terminating, unless its phase is already terminal. */
class TerminatingPodStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode pod(String phase, boolean deleted) throws Exception {
        String meta = deleted ? "{\"name\":\"p\",\"deletionTimestamp\":\"2024-01-01T00:00:30Z\"}" : "{\"name\":\"p\"}";
        String state = phase.equals("Running") ? "{\"running\":{}}" : "{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}";
        return JSON.readTree("{\"metadata\":" + meta + ",\"status\":{\"phase\":\"" + phase + "\",\"containerStatuses\":[{\"ready\":"
                + phase.equals("Running") + ",\"state\":" + state + "}]}}");
    }

    @Test
    void deletedRunningPodIsTerminatingAnEndedOneKeepsItsStatus() throws Exception {
        assertThat(Tables.podStatus(pod("Running", false))).isEqualTo("Running");
        assertThat(Tables.podStatus(pod("Running", true))).isEqualTo("Terminating");
        assertThat(Tables.podStatus(pod("Succeeded", true))).isEqualTo("Completed");
    }
}
