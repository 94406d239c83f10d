package io.kubenetlab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DeleteOptions from a DELETE's query and body, as kubectl and fabric8 send them. */
class DeleteOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void kubectlsBodies() throws Exception {
        // kubectl delete pod x
        assertThat(DeleteOptions.parse(Map.of(), JSON.readTree("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Background\"}")))
                .isEqualTo(new DeleteOptions(null, "Background"));
        // kubectl delete pod x --grace-period=0 --force
        assertThat(DeleteOptions.parse(Map.of(), JSON.readTree("{\"gracePeriodSeconds\":0,\"propagationPolicy\":\"Background\"}")).gracePeriodSeconds())
                .isZero();
        assertThat(DeleteOptions.parse(Map.of(), null)).isEqualTo(DeleteOptions.DEFAULT);
    }

    @Test
    void queryThenBodyWhichWins() throws Exception {
        assertThat(DeleteOptions.parse(Map.of("gracePeriodSeconds", "5"), null).gracePeriodSeconds()).isEqualTo(5);
        assertThat(DeleteOptions.parse(Map.of("gracePeriodSeconds", "5"), JSON.readTree("{\"gracePeriodSeconds\":2}")).gracePeriodSeconds()).isEqualTo(2);
    }

    @Test
    void negativeGraceIsOneSecond() {
        assertThat(DeleteOptions.parse(Map.of("gracePeriodSeconds", "-1"), null).gracePeriodSeconds()).isEqualTo(1);
    }

    @Test
    void badValuesAreRefused() throws Exception {
        assertThat(catchThrowableOfType(ApiException.class, () -> DeleteOptions.parse(Map.of("gracePeriodSeconds", "soon"), null)).code()).isEqualTo(400);
        assertThat(catchThrowableOfType(ApiException.class, () -> DeleteOptions.parse(Map.of(), JSON.readTree("{\"gracePeriodSeconds\":\"x\"}"))).code())
                .isEqualTo(400);
        ApiException policy = catchThrowableOfType(ApiException.class, () -> DeleteOptions.parse(Map.of(), JSON.readTree("{\"propagationPolicy\":\"Later\"}")));
        assertThat(policy.code()).isEqualTo(422);
        assertThat(policy.getMessage()).contains("propagationPolicy: Unsupported value: \"Later\"");
    }
}
