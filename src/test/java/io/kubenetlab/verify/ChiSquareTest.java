package io.kubenetlab.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class ChiSquareTest {
    /** The statistic by hand, the p-value from the distribution: the test must agree. */
    static double byHand(long... observed) {
        double total = 0;
        for (long o : observed) total += o;
        double e = total / observed.length, chi2 = 0;
        for (long o : observed) chi2 += (o - e) * (o - e) / e;
        return 1 - new ChiSquaredDistribution(observed.length - 1).cumulativeProbability(chi2);
    }

    @Test
    void anEvenishSplitOfSixtyOverTwoPodsFits() {
        // chi2 = (1 + 1) / 30 = 0.0667 on 1 degree of freedom
        assertThat(ChiSquare.evenSpreadPValue(new long[] {31, 29}).getAsDouble()).isCloseTo(0.7963, within(1e-4));
        assertThat(ChiSquare.evenSpreadPValue(new long[] {30, 30}).getAsDouble()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void agreesWithTheChiSquaredDistribution() {
        for (long[] o : new long[][] {{40, 20}, {10, 20, 30}, {5, 5, 5, 45}, {0, 60}}) {
            assertThat(ChiSquare.evenSpreadPValue(o).getAsDouble()).as(java.util.Arrays.toString(o)).isCloseTo(byHand(o), within(1e-9));
        }
    }

    @Test
    void aOneSidedSpreadIsFarBelowTheThreshold() {
        assertThat(ChiSquare.evenSpreadPValue(new long[] {60, 0}).getAsDouble()).isLessThan(ChiSquare.ALPHA);
        assertThat(ChiSquare.evenSpreadPValue(new long[] {45, 15}).getAsDouble()).isLessThan(ChiSquare.ALPHA);
        assertThat(ChiSquare.evenSpreadPValue(new long[] {38, 22}).getAsDouble()).isGreaterThan(ChiSquare.ALPHA);
    }

    @Test
    void nothingToTestWithOneCategoryOrNoAnswer() {
        assertThat(ChiSquare.evenSpreadPValue(new long[] {60})).isEmpty();
        assertThat(ChiSquare.evenSpreadPValue(new long[] {})).isEmpty();
        assertThat(ChiSquare.evenSpreadPValue(new long[] {0, 0})).isEmpty();
    }
}
