package io.kubenetlab.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodNamerTest {

    /** Kubernetes' utilrand alphabet. */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    @Test
    void alphabetIsKubernetes() {
        assertThat(PodNamer.ALPHANUMS).isEqualTo(ALPHABET).hasSize(27);
        assertThat(PodNamer.MAX_PREFIX).isEqualTo(58);
    }

    @ParameterizedTest
    @CsvSource({
            // FNV-1a 32 test vectors, printed in decimal, each digit mapped like rand.SafeEncodeString
            "'', 65bb57b6b5",        // 0x811c9dc5 = 2166136261
            "a, 7d6b446664",         // 0xe40c292c = 3826002220
            "foobar, 7658c79c64",    // 0xbf9cf968 = 3214735720
    })
    void templateHashIsFnv1aSafeEncoded(String text, String expected) {
        assertThat(PodNamer.templateHash(text)).isEqualTo(expected);
    }

    @Test
    void safeEncodeMapsDigitsLikeKubernetes() {
        assertThat(PodNamer.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void templateHashUsesOnlyTheDigitAlphabetAndAtMostTenCharacters() {
        for (int i = 0; i < 500; i++) {
            String h = PodNamer.templateHash("template-" + i);
            assertThat(h).hasSizeBetween(1, 10).matches("[456789bcdf]+");
        }
    }

    @Test
    void templateHashIsDeterministicAndSensitive() {
        assertThat(PodNamer.templateHash("spec")).isEqualTo(PodNamer.templateHash("spec"));
        assertThat(PodNamer.templateHash("spec")).isNotEqualTo(PodNamer.templateHash("spec2"));
    }

    @Test
    void generatedNameIsPrefixPlusFiveCharacterSuffix() {
        String name = PodNamer.generate("service-test-7d9c6b5f8-", "lab/service-test-7d9c6b5f8/0");
        assertThat(name).startsWith("service-test-7d9c6b5f8-").hasSize("service-test-7d9c6b5f8-".length() + 5);
        assertThat(name.substring("service-test-7d9c6b5f8-".length())).matches("[" + ALPHABET + "]{5}");
    }

    @Test
    void suffixIsDeterministicPerSeed() {
        assertThat(PodNamer.suffix("seed")).isEqualTo(PodNamer.suffix("seed")).hasSize(5);
        assertThat(PodNamer.generate("p-", "seed")).isEqualTo(PodNamer.generate("p-", "seed"));
        assertThat(PodNamer.suffix("seed")).isNotEqualTo(PodNamer.suffix("seed#1"));
    }

    @Test
    void suffixesAreWellSpread() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String s = PodNamer.suffix("lab/rs/" + i);
            assertThat(s).matches("[" + ALPHABET + "]{5}");
            seen.add(s);
        }
        assertThat(seen).hasSizeGreaterThan(990);
    }

    @Test
    void suffixIsTheSha256BytesModuloTheAlphabet() {
        // sha256("abc") = ba 78 16 bf 8f ...: 186%27=24 '7', 120%27=12 'q', 22 '5', 191%27=2 'd', 143%27=8 'l'
        assertThat(PodNamer.suffix("abc")).isEqualTo("7q5dl");
    }

    @Test
    void longPrefixesAreTruncatedTo58Characters() {
        String prefix = "a".repeat(70) + "-";
        String name = PodNamer.generate(prefix, "s");
        assertThat(name).hasSize(63).startsWith("a".repeat(58));
        assertThat(name.substring(58)).isEqualTo(PodNamer.suffix("s"));

        String exact = "b".repeat(58);
        assertThat(PodNamer.generate(exact, "s")).isEqualTo(exact + PodNamer.suffix("s"));
        String over = "c".repeat(59);
        assertThat(PodNamer.generate(over, "s")).isEqualTo("c".repeat(58) + PodNamer.suffix("s"));
    }

    @Test
    void shortHashIsHexOfSha256() {
        assertThat(PodNamer.shortHash("abc", 8)).isEqualTo("ba7816bf");
        assertThat(PodNamer.shortHash("abc", 16)).isEqualTo("ba7816bf8f01cfea");
        assertThat(PodNamer.shortHash("", 8)).isEqualTo("e3b0c442");
    }
}
