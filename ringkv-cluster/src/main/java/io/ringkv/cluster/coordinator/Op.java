package io.ringkv.cluster.coordinator;

/** The three client operations, with the names errors and metrics use and their wire codes. */
enum Op {
    GET(0, "get"),
    PUT(1, "put"),
    DELETE(2, "delete");

    final int code;
    final String label;

    Op(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The operation with wire code {@code code}, or null. */
    static Op ofCode(int code) {
        for (Op op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
