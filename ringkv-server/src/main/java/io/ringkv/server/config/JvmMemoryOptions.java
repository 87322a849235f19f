package io.ringkv.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's own syntax for the memory options a {@link MemoryPlan} sets or an operator gives:
 * sizes ({@code 512m}, {@code 2G}), {@code -Xmx}, and the collector switches.
 */
public final class JvmMemoryOptions {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kmgt]?)");
    private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w*GC");
    private static final String MAX_HEAP = "-Xmx";

    private JvmMemoryOptions() {
    }

    /** Bytes in a number with an optional k, m, g or t, either case (binary units); empty for anything else. */
    public static OptionalLong parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long value = Long.parseLong(m.group(1));
        return value > Long.MAX_VALUE >> shift ? OptionalLong.empty() : OptionalLong.of(value << shift);
    }

    /** {@code bytes} in that syntax: whole MiB as {@code 163m}, otherwise KiB or bytes. */
    public static String format(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "m";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + "k" : Long.toString(bytes);
    }

    /** The last {@code -Xmx} option of {@code options}, the one the JVM takes. */
    public static Optional<String> lastMaxHeap(List<String> options) {
        String last = null;
        for (String option : options) {
            if (option.startsWith(MAX_HEAP)) {
                last = option;
            }
        }
        return Optional.ofNullable(last);
    }

    /** The heap an {@code -Xmx} option sets; empty when its size is not one. */
    public static OptionalLong maxHeapBytes(String maxHeapOption) {
        return parseSize(maxHeapOption.substring(MAX_HEAP.length()));
    }

    /** Whether {@code options} choose a garbage collector (the JVM refuses a second). */
    static boolean choosesCollector(List<String> options) {
        return options.stream().anyMatch(o -> COLLECTOR.matcher(o).matches());
    }
}
