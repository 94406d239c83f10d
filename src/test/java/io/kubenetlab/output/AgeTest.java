package io.kubenetlab.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values follow apimachinery's duration.HumanDuration (and its tests). */
class AgeTest {

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
            "0, 0s",
            "1, 1s",
            "59, 59s",
            "60, 60s",
            "70, 70s",
            "119, 119s",
            "120, 2m",
            "121, 2m1s",
            "190, 3m10s",
            "303, 5m3s",
            "540, 9m",
            "599, 9m59s",
            "600, 10m",
            "659, 10m",
            "4200, 70m",
            "10799, 179m",
            "10800, 3h",
            "10860, 3h1m",
            "28740, 7h59m",
            "28799, 7h59m",
            "28800, 8h",
            "169200, 47h",
            "172799, 47h",
            "172800, 2d",
            "176400, 2d1h",
            "604800, 7d",
            "691199, 7d23h",
            "691200, 8d",
            "698400, 8d",
            "31708800, 367d",
            "63071999, 729d",
            "63072000, 2y",
            "63162000, 2y1d",
            "94608000, 3y",
            "252280800, 7y364d",
            "252295200, 8y",
            "315360000, 10y",
    })
    void humanDurationLikeKubectl(long seconds, String expected) {
        assertThat(Age.human(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"500, 0s", "1999, 1s", "120999, 2m"})
    void fractionsOfASecondAreDropped(long millis, String expected) {
        assertThat(Age.human(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-1, 0s"})
    void smallClockSkewIsNow(long seconds, String expected) {
        assertThat(Age.human(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }
}
