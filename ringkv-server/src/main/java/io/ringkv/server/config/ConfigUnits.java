package io.ringkv.server.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human-friendly sizes ("64MiB", "16KiB", "1024") and durations ("10d", "250ms")
 * that configuration files use. Binary (IEC) units only: "KB" is rejected rather than guessed,
 * because 1000 versus 1024 is exactly the kind of ambiguity a config file should not have.
 */
public final class ConfigUnits {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private ConfigUnits() {
    }

    /** Bytes in {@code text}: a plain number of bytes or a number with B, KiB, MiB, GiB or TiB. */
    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 1024, 16KiB or 64MiB");
        }
        long shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 40;
        };
        return scale(m.group(1), 1L << shift);
    }

    /** Milliseconds in {@code text}: a plain number of milliseconds or a number with ms, s, m, h or d. */
    public static long parseMillis(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 2h or 10d");
        }
        long unitMillis = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        return scale(m.group(1), unitMillis);
    }

    /** Renders bytes with the largest exact binary unit: 67108864 -> "64MiB". */
    public static String formatBytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }

    private static long scale(String digits, long unit) {
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("value is too large");
        }
    }
}
