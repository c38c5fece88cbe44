package org.viewsync.simulator;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The simulator over HTTP: Immuta's API as the service uses it, and a control API under {@code /control} that
 * changes the simulated state and delivers the webhooks Immuta would send for the change.
 */
@RestController
@ConditionalOnProperty(name = "viewsync.simulator.enabled", havingValue = "true")
@RequestMapping(SimulatorDefaults.BASE_PATH)
public class ImmutaSimulatorController {

    private final SimulatedImmuta immuta;
    private final WebhookSender sender;

    public ImmutaSimulatorController(SimulatedImmuta immuta, WebhookSender sender) {
        this.immuta = immuta;
        this.sender = sender;
    }

    // --- Immuta's API

    @PostMapping("/bim/apikey/authenticate")
    public Map<String, String> authenticate(@RequestBody Map<String, String> body) {
        return immuta.authenticate(body.get("apikey")).map(token -> Map.of("token", token))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED, "unknown API key"));
    }

    /** Every API call but authentication needs a token Immuta issued. */
    @ModelAttribute
    void requireToken(@RequestHeader(name = "Authorization", required = false) String authorization,
                      jakarta.servlet.http.HttpServletRequest request) {
        boolean open = request.getRequestURI().endsWith("/bim/apikey/authenticate") || request.getRequestURI().contains("/control");
        if (!open && (authorization == null || !immuta.isValidToken(authorization.replaceFirst("^Bearer ", "")))) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "invalid or missing bearer token");
        }
    }

    @GetMapping("/dataSource/{id}")
    public Map<String, Object> dataSource(@PathVariable long id) {
        return immuta.dataSource(id).orElseThrow(() -> notFound("data source " + id));
    }

    @GetMapping(value = "/dataSource/{id}/viewSql")
    public Map<String, String> viewSql(@PathVariable long id, @RequestParam long projectId) {
        return immuta.viewSql(id, projectId).map(sql -> Map.of("sql", sql))
                .orElseThrow(() -> notFound("data source " + id + " in project " + projectId));
    }

    @GetMapping("/project/{id}")
    public Map<String, Object> project(@PathVariable long id) {
        return immuta.project(id).orElseThrow(() -> notFound("project " + id));
    }

    @GetMapping("/project/{id}/checkEqualizationState")
    public Map<String, Object> equalizationState(@PathVariable long id) {
        return immuta.equalizationState(id).orElseThrow(() -> notFound("project " + id));
    }

    @GetMapping("/project")
    public Map<String, Object> searchProjects(@RequestParam(required = false) Boolean isEqualized,
                                              @RequestParam(required = false) Long dataSourceId,
                                              @RequestParam(defaultValue = "100") int size, @RequestParam(defaultValue = "0") int offset) {
        return immuta.searchProjects(isEqualized, dataSourceId, size, offset);
    }

    @GetMapping("/project/{id}/dataSources")
    public Map<String, Object> projectDataSources(@PathVariable long id, @RequestParam(defaultValue = "100") int size,
                                                  @RequestParam(defaultValue = "0") int offset) {
        return immuta.projectDataSources(id, size, offset).orElseThrow(() -> notFound("project " + id));
    }

    @GetMapping("/webhooks")
    public List<Map<String, Object>> webhooks() {
        return immuta.webhooks();
    }

    @PostMapping("/webhooks")
    public Map<String, Object> registerWebhooks(@RequestBody Map<String, Object> request) {
        try {
            return immuta.registerWebhooks(request);
        } catch (IllegalStateException invalid) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, invalid.getMessage());
        }
    }

    @DeleteMapping("/webhooks/{id}")
    public Map<String, Object> deleteWebhook(@PathVariable long id) {
        return immuta.deleteWebhook(id).orElseThrow(() -> notFound("webhook " + id));
    }

    @GetMapping("/webhooks/history")
    public Map<String, Object> deliveryHistory(@RequestParam(required = false) String successOrFailure,
                                               @RequestParam(defaultValue = "20") int pageSize, @RequestParam(defaultValue = "0") int offset) {
        return immuta.deliveryHistory("failure".equals(successOrFailure), pageSize, offset);
    }

    @PostMapping("/webhooks/history/retry/{id}")
    public Map<String, Object> retryDelivery(@PathVariable long id) {
        return sender.retry(immuta, immuta.delivery(id).orElseThrow(() -> notFound("delivery " + id)));
    }

    // --- control: change the tenant, deliver the notifications

    @PostMapping("/control/projects/{projectId}/dataSources/{dataSourceId}")
    public Map<String, Object> addToProject(@PathVariable long projectId, @PathVariable long dataSourceId) {
        return deliver(immuta.addToProject(projectId, dataSourceId));
    }

    @DeleteMapping("/control/projects/{projectId}/dataSources/{dataSourceId}")
    public Map<String, Object> removeFromProject(@PathVariable long projectId, @PathVariable long dataSourceId) {
        return deliver(immuta.removeFromProject(projectId, dataSourceId));
    }

    @PutMapping("/control/dataSources/{id}/policy")
    public Map<String, Object> setDataSourcePolicy(@PathVariable long id, @RequestBody Catalog.Policy policy) {
        return deliver(immuta.setDataSourcePolicy(id, policy));
    }

    @PutMapping("/control/projects/{id}/policy")
    public Map<String, Object> setProjectPolicy(@PathVariable long id, @RequestBody Catalog.Policy policy) {
        return deliver(immuta.setProjectPolicy(id, policy));
    }

    @PutMapping("/control/projects/{id}/name")
    public Map<String, Object> renameProject(@PathVariable long id, @RequestBody String name) {
        return deliver(immuta.renameProject(id, name.strip()));
    }

    @PostMapping("/control/dataSources/{id}/disable")
    public Map<String, Object> disable(@PathVariable long id) {
        return deliver(immuta.setDisabled(id, true));
    }

    @PostMapping("/control/dataSources/{id}/enable")
    public Map<String, Object> enable(@PathVariable long id) {
        return deliver(immuta.setDisabled(id, false));
    }

    @PutMapping("/control/globalPolicies/{name}")
    public Map<String, Object> applyGlobalPolicy(@PathVariable String name, @RequestBody Catalog.Policy policy) {
        return deliver(immuta.applyGlobalPolicy(name, policy));
    }

    @DeleteMapping("/control/globalPolicies/{name}")
    public Map<String, Object> removeGlobalPolicy(@PathVariable String name) {
        return deliver(immuta.removeGlobalPolicy(name));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> unknownModel(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", e.getMessage()));
    }

    private Map<String, Object> deliver(List<Map<String, Object>> notifications) {
        return Map.of("notifications", notifications.size(), "deliveries", sender.deliver(immuta, notifications));
    }

    private static ResponseStatusException notFound(String what) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no " + what);
    }
}
