package org.viewsync.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.viewsync.config.ViewSyncProperties;
import org.viewsync.config.ViewSyncProperties.Intake.SignatureAlgorithm;
import org.viewsync.config.ViewSyncProperties.Intake.SignatureEncoding;

class WebhookSignatureTest {

    static final byte[] BODY = "{\"notificationType\":\"policyUpdated\",\"modelId\":7}".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsTheBase64SchemeWhenConfiguredAndOnlyIt() throws Exception {
        WebhookSignature base64 = signature("s3cret", SignatureEncoding.BASE64);
        byte[] mac = hmac("s3cret", BODY);

        assertThat(base64.isAuthentic(BODY, Base64.getEncoder().encodeToString(mac))).isTrue();
        assertThat(base64.isAuthentic(BODY, java.util.HexFormat.of().formatHex(mac))).as("hex where base64 is configured").isFalse();
        assertThat(base64.signatureOf(BODY)).isEqualTo(Base64.getEncoder().encodeToString(mac));
    }

    @Test
    void refusesEverythingButTheExactBodyUnderTheExactSecret() throws Exception {
        WebhookSignature hex = signature("s3cret", SignatureEncoding.HEX);
        byte[] tampered = BODY.clone();
        tampered[5] ^= 1;

        assertThat(hex.isAuthentic(BODY, java.util.HexFormat.of().formatHex(hmac("s3cret", BODY)))).isTrue();
        assertThat(hex.isAuthentic(tampered, java.util.HexFormat.of().formatHex(hmac("s3cret", BODY)))).isFalse();
        assertThat(hex.isAuthentic(BODY, java.util.HexFormat.of().formatHex(hmac("other", BODY)))).isFalse();
        assertThat(hex.isAuthentic(BODY, "")).isFalse();
        assertThat(hex.isAuthentic(BODY, null)).isFalse();
        assertThat(hex.isAuthentic(BODY, "zz")).isFalse();
    }

    @Test
    void withoutASecretNothingIsRequiredAndNothingIsAuthentic() {
        WebhookSignature none = signature("", SignatureEncoding.HEX);

        assertThat(none.isRequired()).isFalse();
        assertThat(none.isAuthentic(BODY, "00")).isFalse();
    }

    @Test
    void currentImmutaSignsWithSha256InItsOwnHeader() throws Exception {
        WebhookSignature sha256 = signature("s3cret", SignatureEncoding.HEX, SignatureAlgorithm.SHA256);
        String signed = java.util.HexFormat.of().formatHex(hmac("HmacSHA256", "s3cret", BODY));

        assertThat(sha256.header()).isEqualTo("x-immuta-webhook-signature-sha256");
        assertThat(sha256.hasValidSignature(BODY, java.util.Map.of("x-immuta-webhook-signature-sha256", signed))).isTrue();
        assertThat(sha256.hasValidSignature(BODY, java.util.Map.of("x-immuta-webhook-signature", signed))).as("another header").isFalse();
        assertThat(sha256.hasValidSignature(BODY, java.util.Map.of("x-immuta-webhook-signature-sha256",
                java.util.HexFormat.of().formatHex(hmac("HmacSHA1", "s3cret", BODY))))).as("a SHA-1 signature").isFalse();
    }

    @Test
    void olderImmutaSignsWithSha1InTheUnsuffixedHeader() throws Exception {
        WebhookSignature sha1 = signature("s3cret", SignatureEncoding.HEX, SignatureAlgorithm.SHA1);
        String signed = java.util.HexFormat.of().formatHex(hmac("HmacSHA1", "s3cret", BODY));

        assertThat(sha1.header()).isEqualTo("x-immuta-webhook-signature");
        assertThat(sha1.hasValidSignature(BODY, java.util.Map.of("x-immuta-webhook-signature", signed))).isTrue();
        assertThat(sha1.signatureOf(BODY)).isEqualTo(signed);
        assertThat(sha1.hasValidSignature(BODY, java.util.Map.of("x-immuta-webhook-signature",
                java.util.HexFormat.of().formatHex(hmac("HmacSHA256", "s3cret", BODY))))).as("a SHA-256 signature").isFalse();
    }

    private static WebhookSignature signature(String secret, SignatureEncoding encoding) {
        return signature(secret, encoding, SignatureAlgorithm.SHA256);
    }

    private static WebhookSignature signature(String secret, SignatureEncoding encoding, SignatureAlgorithm algorithm) {
        ViewSyncProperties properties = new ViewSyncProperties();
        properties.getWebhook().setSecret(secret);
        properties.getIntake().setSignatureEncoding(encoding);
        properties.getIntake().setSignatureAlgorithm(algorithm);
        return new WebhookSignature(properties);
    }

    private static byte[] hmac(String secret, byte[] body) throws Exception {
        return hmac("HmacSHA256", secret, body);
    }

    private static byte[] hmac(String algorithm, String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
        return mac.doFinal(body);
    }
}
