package io.kubenetlab.output;

import java.time.Duration;

/** kubectl's AGE column ({@code duration.HumanDuration}): 45s, 5m3s, 50m, 3h12m, 2d5h, 2y1d, ... */
public final class Age {
    private Age() {}

    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) return s + "s";
        long m = s / 60;
        if (m < 10) return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        if (m < 180) return m + "m";
        long h = m / 60;
        if (h < 8) return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
        if (h < 48) return h + "h";
        long days = h / 24;
        if (days < 8) return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
        if (days < 365 * 2) return days + "d";
        if (days < 365 * 8) return (days / 365) + "y" + (days % 365 == 0 ? "" : (days % 365) + "d");
        return (days / 365) + "y";
    }
}
