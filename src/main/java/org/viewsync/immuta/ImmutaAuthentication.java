package org.viewsync.immuta;

import java.util.Map;
import org.springframework.stereotype.Component;
import org.viewsync.config.ImmutaProperties;

/** The body that exchanges the API key for a bearer token, built as data so that no key character can break it. */
@Component("immutaAuthentication")
public class ImmutaAuthentication {

    private final ImmutaProperties properties;

    public ImmutaAuthentication(ImmutaProperties properties) {
        this.properties = properties;
    }

    public Map<String, String> request() {
        return Map.of("apikey", properties.getApiKey());
    }
}
