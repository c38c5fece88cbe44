package org.viewsync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.common.Metadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.viewsync.support.FakeImmuta;
import org.viewsync.support.ImmutaContract;
import org.viewsync.support.Notifications;
import org.viewsync.support.ViewSyncIntegrationTest;

/**
 * Whether a project is equalized, decided from what Immuta really returns: {@code GET /project/{id}} has no
 * {@code isEqualized} in Immuta's API description, so {@code checkEqualizationState} decides
 * ({@code immuta.equalized-states}, default {@code active}); an {@code isEqualized} on the project's own answer, as
 * the guide describes it, wins.
 */
class EqualizationTest extends ViewSyncIntegrationTest {

    @BeforeEach
    void customers() {
        FakeImmuta.dataSource(1, "Customers", "customers", "PostgreSQL");
        FakeImmuta.viewSql(1, 7, "SELECT id FROM sales.customers");
    }

    @ParameterizedTest
    @CsvSource({"active, true", "off, false", "recommended, false", "upgrade, false", "nonCompliantMembers, false"})
    void theEqualizationStateDecides(String state, boolean viewExpected) {
        FakeImmuta.project(7, "Clients", true);
        FakeImmuta.equalizationState(7, state);

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).hasSize(viewExpected ? 1 : 0);
    }

    @Test
    void anIsEqualizedOnTheProjectsOwnAnswerWins() {
        FakeImmuta.project(7, "Clients", false);
        FakeImmuta.server().stubFor(get("/project/7").atPriority(1)
                .withMetadata(Metadata.metadata().attr(ImmutaContract.GUIDE_EXAMPLE,
                        "the guide: get the project metadata and confirm that the project is equalized: isEqualized: true"))
                .willReturn(okJson("{\"id\": 7, \"name\": \"Clients\", \"status\": \"open\", \"isEqualized\": true}")));

        deliver(Notifications.addedToProject(1, 7));

        assertThat(POSTGRES.views()).containsExactly("clients__customers");
    }
}
