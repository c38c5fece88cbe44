package org.viewsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import org.junit.jupiter.api.Test;
import org.viewsync.support.ImmutaContract;

/**
 * The oracle itself: Immuta's API description, as the contract checks read it, rejects the shapes the service once
 * assumed and Immuta does not serve or take, and accepts those it does. Every suite that talks to a fake Immuta is
 * checked with it (FakeImmuta, SimulatorEndToEndTest).
 */
class ImmutaContractTest {

    @Test
    void aProjectByIdCarriesNoIsEqualized() {
        assertThat(answer("/project/7", "{\"id\": 7, \"name\": \"Clients\", \"status\": \"open\", \"isEqualized\": true}").hasErrors()).isTrue();
        assertThat(answer("/project/7", "{\"id\": 7, \"name\": \"Clients\", \"status\": \"open\", \"deleted\": false}").hasErrors()).isFalse();
    }

    @Test
    void aRegistrationNeedsAnActionType() {
        String answer = "{\"createdWebhooks\": [{\"id\": 2}], \"errors\": []}";
        assertThat(registration("{\"webhooks\": [{\"name\": \"h\", \"url\": \"https://x/immuta/webhook\", \"global\": true,"
                + " \"notificationType\": [\"policyUpdated\"]}]}", answer).hasErrors()).isTrue();
        assertThat(registration("{\"webhooks\": [{\"name\": \"h\", \"url\": \"https://x/immuta/webhook\", \"global\": true,"
                + " \"actionType\": \"triggered\", \"notificationType\": [\"policyUpdated\"]}]}", answer).hasErrors()).isFalse();
    }

    @Test
    void aRegistrationIsAnsweredWithCreatedWebhooksAndErrors() {
        String request = "{\"webhooks\": [{\"url\": \"https://x/immuta/webhook\", \"actionType\": \"triggered\", \"notificationType\": [\"policyUpdated\"]}]}";
        assertThat(registration(request, "[{\"id\": 2}]").hasErrors()).isTrue();
    }

    @Test
    void theEqualizationStateIsOneOfImmutasStates() {
        assertThat(answer("/project/7/checkEqualizationState", "{\"equalizationState\": \"active\"}").hasErrors()).isFalse();
        assertThat(answer("/project/7/checkEqualizationState", "{\"equalizationState\": \"equalized\"}").hasErrors()).isTrue();
    }

    @Test
    void aProjectSearchHitCarriesIsEqualizedAndNeedsAStatus() {
        assertThat(answer("/project", "{\"count\": 1, \"hits\": [{\"id\": 7, \"name\": \"Clients\", \"status\": \"open\", \"isEqualized\": true}]}")
                .hasErrors()).isFalse();
        assertThat(answer("/project", "{\"count\": 1, \"hits\": [{\"id\": 7, \"name\": \"Clients\", \"isEqualized\": true}]}").hasErrors()).isTrue();
    }

    private static ValidationReport answer(String path, String body) {
        return ImmutaContract.validate(SimpleRequest.Builder.get(path).build(),
                SimpleResponse.Builder.ok().withContentType("application/json").withBody(body).build());
    }

    private static ValidationReport registration(String request, String answer) {
        return ImmutaContract.validate(SimpleRequest.Builder.post("/webhooks").withContentType("application/json").withBody(request).build(),
                SimpleResponse.Builder.ok().withContentType("application/json").withBody(answer).build());
    }
}
