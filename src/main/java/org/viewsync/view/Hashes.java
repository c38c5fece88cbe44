package org.viewsync.view;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/** SHA-256 in hex: the fingerprint of a view's SQL, and the source of stable name suffixes. */
@Component("hashes")
public class Hashes {

    /** The hash of the text; null hashes as the empty text. */
    public String sha256(String text) {
        return HexFormat.of().formatHex(digest(text == null ? "" : text));
    }

    static String shortHash(String text) {
        return HexFormat.of().formatHex(digest(text), 0, 4);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
