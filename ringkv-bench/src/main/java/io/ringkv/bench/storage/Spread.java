package io.ringkv.bench.storage;

import io.ringkv.bench.common.TextTable;
import java.util.List;

/** Median and range of one figure over a run's repeats; NaNs (a failed or unmeasured repeat) are left out. */
record Spread(double median, double min, double max, int count) {

    static Spread of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int mid = v.length / 2;
        double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    /** e.g. "1.52 (1.40-1.61)"; just the median when there is one value. */
    String format() {
        if (count == 0) {
            return "n/a";
        }
        String m = TextTable.number(median);
        return count == 1 ? m : m + " (" + TextTable.number(min) + "-" + TextTable.number(max) + ")";
    }
}
