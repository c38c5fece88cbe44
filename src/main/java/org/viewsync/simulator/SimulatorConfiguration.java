package org.viewsync.simulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Serves the simulator when {@code viewsync.simulator.enabled} (see {@link SimulatorDefaults}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "viewsync.simulator.enabled", havingValue = "true")
public class SimulatorConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorConfiguration.class);

    @Bean
    SimulatedImmuta simulatedImmuta(SimulatorProperties properties) {
        return new SimulatedImmuta(Catalog.load(properties.getCatalog()), properties.getApiKey());
    }

    @Bean
    WebhookSender webhookSender() {
        return new WebhookSender();
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce(ApplicationReadyEvent ready) {
        String url = ready.getApplicationContext().getEnvironment().getProperty("immuta.url");
        LOG.warn("IMMUTA SIMULATOR ON: this service talks to the built-in fake Immuta at {}, not to a real Immuta."
                + " Set IMMUTA_URL to use a real one. Control API: {}/control", url, url);
    }
}
