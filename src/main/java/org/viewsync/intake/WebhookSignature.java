package org.viewsync.intake;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.viewsync.config.ViewSyncProperties;
import org.viewsync.config.ViewSyncProperties.Intake.SignatureAlgorithm;
import org.viewsync.config.ViewSyncProperties.Intake.SignatureEncoding;

/**
 * The webhook's HMAC signature over the raw request body, keyed by {@code viewsync.webhook.secret}: what tells a
 * delivery from Immuta apart from anyone else's request. Current Immuta signs with HMAC-SHA256 in
 * {@code x-immuta-webhook-signature-sha256}, older versions with HMAC-SHA1 in {@code x-immuta-webhook-signature}
 * ({@code viewsync.intake.signature-algorithm}). Compared in constant time.
 */
@Component
public class WebhookSignature {

    private static final Logger log = LoggerFactory.getLogger(WebhookSignature.class);

    private final SignatureAlgorithm algorithm;
    private final SecretKeySpec key;
    private final SignatureEncoding encoding;
    private final String header;

    public WebhookSignature(ViewSyncProperties properties) {
        ViewSyncProperties.Intake intake = properties.getIntake();
        String secret = properties.getWebhook().getSecret();
        this.algorithm = intake.getSignatureAlgorithm();
        this.key = secret == null || secret.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm.macAlgorithm());
        this.encoding = intake.getSignatureEncoding();
        this.header = intake.getSignatureHeader() == null || intake.getSignatureHeader().isBlank() ? algorithm.header() : intake.getSignatureHeader();
        if (key == null) {
            log.warn("viewsync.webhook.secret is not set: the webhook intake is UNAUTHENTICATED and accepts notifications from anyone"
                    + " who can reach it. Set VIEWSYNC_WEBHOOK_SECRET in production.");
        } else {
            log.info("Webhook deliveries must carry a valid {} {} signature in header {}", encoding.name().toLowerCase(),
                    algorithm.macAlgorithm(), header);
        }
    }

    /** Whether deliveries must be signed: a secret is configured. */
    public boolean isRequired() {
        return key != null;
    }

    /** The request header the signature is read from. */
    public String header() {
        return header;
    }

    /** Whether the request's signature header holds the HMAC of exactly these bytes under the secret. */
    public boolean hasValidSignature(byte[] body, Map<String, Object> headers) {
        Object signature = headers.get(header);
        return signature instanceof String text && isAuthentic(body, text);
    }

    /** Whether {@code signature} is the HMAC of exactly these bytes under the secret. */
    public boolean isAuthentic(byte[] body, String signature) {
        if (key == null || body == null || signature == null || signature.isBlank()) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = encoding == SignatureEncoding.HEX ? HexFormat.of().parseHex(signature.trim()) : Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException notEncodedAsConfigured) {
            return false;
        }
        return MessageDigest.isEqual(sign(body), claimed);
    }

    /** The HMAC of the body under the secret, encoded as configured: what a sender puts in the header. */
    public String signatureOf(byte[] body) {
        byte[] mac = sign(body);
        return encoding == SignatureEncoding.HEX ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac);
    }

    private byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm.macAlgorithm());
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(algorithm.macAlgorithm() + " is part of every Java runtime", e);
        }
    }
}
