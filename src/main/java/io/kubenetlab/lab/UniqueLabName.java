package io.kubenetlab.lab;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Lab names for tests: a readable prefix (from the test class or the annotation) and a random
 * suffix, so classes running in parallel, and test runs of other JVMs, never share a lab. Lab names
 * become namespace names and state paths: lower-case letters, digits and '-', at most 40 characters
 * (topology/TopologyLoader's rule).
 */
public final class UniqueLabName {
    /** TopologyLoader's lab name rule. */
    static final Pattern LAB_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    static final int MAX = 40;
    static final int SUFFIX = 6;
    /** The prefix leaves room for '-' and the suffix. */
    static final int MAX_PREFIX = MAX - 1 - SUFFIX;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

    private UniqueLabName() {}

    /** A new name: {@code prefix-xxxxxx}, six random base-36 characters (36^6 ≈ 2·10^9). */
    public static String next(String prefix) {
        StringBuilder sb = new StringBuilder(checkedPrefix(prefix)).append('-');
        for (int i = 0; i < SUFFIX; i++) sb.append(DIGITS.charAt(RANDOM.nextInt(DIGITS.length())));
        return sb.toString();
    }

    /** A prefix from a class's simple name: {@code CheckoutServiceTest} → {@code checkoutservicetest}, cut to fit. */
    public static String prefixOf(Class<?> testClass) {
        return prefixOf(testClass.getSimpleName());
    }

    /** A prefix from any name (a lab file's, a class's): lower-cased, other characters as '-', cut to fit. */
    public static String prefixOf(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        if (s.length() > MAX_PREFIX) s = s.substring(0, MAX_PREFIX);
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "lab" : s;
    }

    /** A prefix given in {@code @KubenetLab(namePrefix)}: it must leave a valid lab name with the suffix. */
    public static String checkedPrefix(String prefix) {
        if (prefix.length() > MAX_PREFIX || !LAB_NAME.matcher(prefix).matches()) {
            throw new IllegalArgumentException("lab name prefix \"" + prefix + "\": lower-case letters, digits and '-', starting and ending"
                    + " with a letter or digit, at most " + MAX_PREFIX + " characters (a '-' and " + SUFFIX + " random characters follow)");
        }
        return prefix;
    }
}
