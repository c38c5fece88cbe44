package org.viewsync.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** When the simulator stands in for Immuta, and when it refuses to. */
class SimulatorDefaultsTest {

    private final SimulatorDefaults defaults = new SimulatorDefaults();

    @Test
    void withoutImmutaUrlTheSimulatorAndTheDemoTargetStandIn() {
        MockEnvironment environment = new MockEnvironment().withProperty("server.port", "8080").withProperty("viewsync.data-dir", "./data")
                .withProperty("viewsync.simulator.api-key", "demo-api-key");

        defaults.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("viewsync.simulator.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("immuta.url")).isEqualTo("http://localhost:8080/immuta-simulator");
        assertThat(environment.getProperty("immuta.api-key")).isEqualTo("demo-api-key");
        assertThat(environment.getProperty("viewsync.targets.demo.url")).startsWith("jdbc:h2:file:./data/demo-target");
    }

    @Test
    void withImmutaUrlTheSimulatorStaysOff() {
        MockEnvironment environment = new MockEnvironment().withProperty("immuta.url", "https://immuta.example.com");

        defaults.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("viewsync.simulator.enabled")).isNull();
        assertThat(environment.getProperty("viewsync.targets.demo.url")).isNull();
    }

    @Test
    void refusesToDriveARealTargetUnlessAllowed() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("viewsync.targets.prod.url", "jdbc:postgresql://db.example.com/analytics");

        assertThatThrownBy(() -> defaults.postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("target 'prod'").hasMessageContaining("allow-real-targets");

        environment.setProperty("viewsync.simulator.allow-real-targets", "true");
        defaults.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("viewsync.simulator.enabled")).isEqualTo("true");
    }
}
