package io.ringkv.cli.admin;

import java.util.Locale;

/** A byte count as an operator reads it: 512 B, 18.4 KiB, 3.2 MiB, 1.1 GiB (powers of 1024). */
public final class ByteSize {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private ByteSize() {
    }

    public static String readable(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
