package io.ringkv.client;

/**
 * Builds the request target of the raw-bytes API, {@code /api/v1/kv/{key}[?r=R|?w=W]}
 * (docs/http-api.md): the key is percent-encoded byte for byte, every byte but RFC 3986's
 * unreserved characters, so any key bytes (a '/', a space, invalid UTF-8) reach the node
 * exactly; the node decodes the segment back to the same bytes.
 */
final class RequestTarget {
    static final String KV_PREFIX = "/api/v1/kv/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RequestTarget() {
    }

    static String kv(byte[] key, String quorumName, int quorum) {
        StringBuilder target = new StringBuilder(KV_PREFIX.length() + key.length * 3 + 8).append(KV_PREFIX);
        for (byte b : key) {
            int c = b & 0xFF;
            if (isUnreserved(c)) {
                target.append((char) c);
            } else {
                target.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            }
        }
        if (quorum > 0) {
            target.append('?').append(quorumName).append('=').append(quorum);
        }
        return target.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /**
     * A context goes into a header, so it must be header-safe: printable ASCII without CR or LF.
     * Contexts the server hands out are URL-safe base64, so anything else was not one of them.
     */
    static String checkContext(String context) {
        if (context == null) {
            return "";
        }
        for (int i = 0; i < context.length(); i++) {
            char c = context.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("a context is printable ASCII (as returned by a read or write); "
                        + "found character " + (int) c + " at index " + i);
            }
        }
        return context;
    }
}
