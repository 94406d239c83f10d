package io.kubenetlab.verify;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.apache.commons.math3.stat.inference.ChiSquareTest;

/**
 * Pearson's chi-square goodness of fit of answer counts against an even spread over the endpoints:
 * kube-proxy's {@code statistic --probability} rules pick each ready endpoint with equal chance.
 */
public final class ChiSquare {
    /** Below this p-value the spread is called uneven (one wrong verdict in a thousand fair runs). */
    public static final double ALPHA = 0.001;

    private ChiSquare() {}

    /** The p-value, or empty when there is nothing to test (fewer than two endpoints, or no answer). */
    public static OptionalDouble evenSpreadPValue(long[] observed) {
        if (observed.length < 2) return OptionalDouble.empty();
        long total = Arrays.stream(observed).sum();
        if (total == 0) return OptionalDouble.empty();
        double[] expected = new double[observed.length];
        Arrays.fill(expected, (double) total / observed.length);
        return OptionalDouble.of(new ChiSquareTest().chiSquareTest(expected, observed));
    }
}
