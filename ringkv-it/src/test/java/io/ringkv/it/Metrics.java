package io.ringkv.it;

/** Reading counters out of a node's Prometheus text (/metrics). */
final class Metrics {
    private Metrics() {
    }

    /**
     * The sum of the samples of series {@code name} (e.g. {@code ringkv_transport_protocol_violations_total})
     * whose labels contain {@code labelFilter} (e.g. {@code outcome="sent"}; empty for all). 0 if
     * there is none: counters with labels appear only once first incremented.
     */
    static double sum(String prometheusText, String name, String labelFilter) {
        double sum = 0;
        for (String line : prometheusText.lines().toList()) {
            if (line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int end = brace >= 0 ? brace : line.indexOf(' ');
            String labels = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            if (end > 0 && line.substring(0, end).equals(name) && labels.contains(labelFilter)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
