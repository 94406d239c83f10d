package io.kubenetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniqueLabNameTest {
    static class CheckoutServiceTest {}

    static class A_Very_Long_Test_Class_Name_That_Does_Not_Fit_Into_A_Lab_Name_IT {}

    static class ___ {}

    @Test
    void prefixIsTheClassNameInLowerCase() {
        assertThat(UniqueLabName.prefixOf(CheckoutServiceTest.class)).isEqualTo("checkoutservicetest");
    }

    @Test
    void longNamesAreCutAndNeverEndWithADash() {
        String p = UniqueLabName.prefixOf(A_Very_Long_Test_Class_Name_That_Does_Not_Fit_Into_A_Lab_Name_IT.class);
        assertThat(p).hasSizeLessThanOrEqualTo(UniqueLabName.MAX_PREFIX).startsWith("a-very-long-test-class-name").doesNotEndWith("-");
        assertThat(UniqueLabName.next(p)).matches(UniqueLabName.LAB_NAME).hasSizeLessThanOrEqualTo(40);
    }

    @Test
    void aNameWithoutLettersOrDigitsBecomesLab() {
        assertThat(UniqueLabName.prefixOf(___.class)).isEqualTo("lab");
    }

    @Test
    void namesAreValidLabNamesAndUnique() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String n = UniqueLabName.next("i15j");
            assertThat(n).matches("i15j-[a-z0-9]{6}").matches(UniqueLabName.LAB_NAME);
            names.add(n);
        }
        assertThat(names).hasSize(1000);
    }

    @Test
    void aGivenPrefixMustLeaveAValidLabName() {
        assertThat(UniqueLabName.checkedPrefix("i15j-cls")).isEqualTo("i15j-cls");
        for (String bad : new String[] {"", "Upper", "-dash", "dash-", "under_score", "x".repeat(34)}) {
            assertThatThrownBy(() -> UniqueLabName.checkedPrefix(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 33 characters");
        }
        assertThat(UniqueLabName.checkedPrefix("x".repeat(33))).hasSize(33);
    }
}
