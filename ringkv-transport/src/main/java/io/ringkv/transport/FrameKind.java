package io.ringkv.transport;

/** The kind byte at offset 5 of every frame (docs/design/wire-protocol.md, "Frame layout"). */
enum FrameKind {
    HELLO(1),
    REQUEST(2),
    RESPONSE(3),
    ERROR(4);

    final int code;

    FrameKind(int code) {
        this.code = code;
    }

    /** The kind for a wire code, or null if the code is unknown (a protocol violation). */
    static FrameKind fromCode(int code) {
        return switch (code) {
            case 1 -> HELLO;
            case 2 -> REQUEST;
            case 3 -> RESPONSE;
            case 4 -> ERROR;
            default -> null;
        };
    }
}
