package org.viewsync.config;

import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExchangeFormatter;
import org.apache.camel.spi.Tracer;
import org.apache.camel.support.processor.DefaultMaskingFormatter;
import org.apache.camel.util.SensitiveUtils;
import org.springframework.stereotype.Component;

/**
 * Camel's tracer (camel.main.tracing) logs every message with its headers and body, and camel.main.log-mask does not
 * reach it: it logged the Immuta API key, the bearer tokens, the webhook secret and the admin's Basic credentials.
 * Its lines are masked here with Camel's sensitive keys (SensitiveUtils) and Authorization: the values of JSON fields
 * inside a line (Camel's masking formatter masks JSON only when the whole text is JSON), of key=value pairs and XML
 * elements (Camel's masking formatter), and the credentials after Bearer and Basic. Set while the context is created,
 * before it starts: the first messages (the webhook registration, with its secret) are traced too.
 */
@Component
public class TracedMessageMasking {

    static final Pattern CREDENTIALS = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[^\\s,;}\\])]+");
    static final Pattern JSON_FIELDS = Pattern.compile("(?i)(\"[\\w-]*(?:" + SensitiveUtils.getSensitivePattern()
            + "|authorization)[\\w-]*\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");

    public TracedMessageMasking(CamelContext camel) {
        Tracer tracer = camel.getTracer();
        ExchangeFormatter plain = tracer.getExchangeFormatter();
        DefaultMaskingFormatter masking = new DefaultMaskingFormatter();
        masking.addKeyword("authorization");
        tracer.setExchangeFormatter(exchange -> masking.format(mask(plain.format(exchange))));
    }

    static String mask(String line) {
        String withoutCredentials = CREDENTIALS.matcher(line).replaceAll("$1 xxxxx");
        return JSON_FIELDS.matcher(withoutCredentials).replaceAll("$1xxxxx$3");
    }
}
