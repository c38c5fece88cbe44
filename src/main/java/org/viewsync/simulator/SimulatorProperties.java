package org.viewsync.simulator;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * The built-in Immuta simulator, served at {@code /immuta-simulator} when {@code IMMUTA_URL} is not set.
 * See {@link SimulatorDefaults} for how it is switched on.
 */
@Validated
@ConfigurationProperties("viewsync.simulator")
public class SimulatorProperties {

    /** Serve the simulator; on by default exactly when immuta.url is not set. */
    private boolean enabled;

    /** Its starting catalog: data sources, projects, policies. */
    private Resource catalog;

    /** The API key it accepts. */
    @NotBlank
    private String apiKey;

    /** Let the simulator drive targets that are not embedded H2 databases, e.g. a scratch PostgreSQL. */
    private boolean allowRealTargets;

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Resource getCatalog() { return catalog; }
    public void setCatalog(Resource catalog) { this.catalog = catalog; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String apiKey) { this.apiKey = apiKey; }
    public boolean isAllowRealTargets() { return allowRealTargets; }
    public void setAllowRealTargets(boolean allowRealTargets) { this.allowRealTargets = allowRealTargets; }
}
