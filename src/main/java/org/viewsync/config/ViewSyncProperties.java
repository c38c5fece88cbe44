package org.viewsync.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The service's own settings: the webhook it registers, the target databases and how views are named.
 * Defaults live in {@code application.yaml}; this class validates them at start-up.
 */
@Validated
@ConfigurationProperties("viewsync")
public class ViewSyncProperties {

    /** Where the embedded H2 databases (state, demo target) keep their files. */
    @NotBlank
    private String dataDir;

    @Valid
    private final Webhook webhook = new Webhook();

    @Valid
    private final Intake intake = new Intake();

    @Valid
    private final Admin admin = new Admin();

    @Valid
    private final Views views = new Views();

    @Valid
    private final Processing processing = new Processing();

    @Valid
    private final Queue queue = new Queue();

    @Valid
    private final Reconciliation reconciliation = new Reconciliation();

    @Valid
    private final Preflight preflight = new Preflight();

    /** Target databases by name; each serves the Immuta data sources whose blobHandlerType it lists. */
    @Valid
    private Map<String, Target> targets = new LinkedHashMap<>();

    public String getDataDir() { return dataDir; }
    public void setDataDir(String dataDir) { this.dataDir = dataDir; }
    public Webhook getWebhook() { return webhook; }
    public Intake getIntake() { return intake; }
    public Admin getAdmin() { return admin; }
    public Views getViews() { return views; }
    public Processing getProcessing() { return processing; }
    public Queue getQueue() { return queue; }
    public Reconciliation getReconciliation() { return reconciliation; }
    public Preflight getPreflight() { return preflight; }
    public Map<String, Target> getTargets() { return targets; }
    public void setTargets(Map<String, Target> targets) { this.targets = targets; }

    /** The global webhook registered with Immuta at every start. */
    public static class Webhook {
        /** Name of the hook in Immuta; together with the URL it identifies our registration. */
        @NotBlank
        private String name;
        /**
         * URL Immuta delivers notifications to: this service's {@code /immuta/webhook} as Immuta reaches it. Required
         * with a real Immuta, and not on localhost or loopback unless {@link #allowLoopback}.
         */
        private String url = "";
        /** Accept a localhost or loopback {@link #url}: only for an Immuta running on the same host. */
        private boolean allowLoopback;
        /** Shared secret sent with the registration. Never logged. */
        private String secret = "";
        /** The hook's actionType, which Immuta requires: {@code triggered} or {@code received}. */
        @NotBlank
        @Pattern(regexp = "triggered|received", message = "must be triggered or received")
        private String actionType;
        /** Milliseconds between checks that the hook is still registered. */
        @Min(1000)
        private long checkInterval;
        /** Milliseconds before trying again after a registration Immuta refused or could not take. */
        @Min(1000)
        private long retryInterval;
        /** Notification types the hook subscribes to. */
        @NotEmpty
        private List<String> notificationTypes = new ArrayList<>();
        @Valid
        private final Recovery recovery = new Recovery();

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public boolean isAllowLoopback() { return allowLoopback; }
        public void setAllowLoopback(boolean allowLoopback) { this.allowLoopback = allowLoopback; }
        public String getSecret() { return secret; }
        public void setSecret(String secret) { this.secret = secret; }
        public String getActionType() { return actionType; }
        public void setActionType(String actionType) { this.actionType = actionType; }
        public long getCheckInterval() { return checkInterval; }
        public void setCheckInterval(long checkInterval) { this.checkInterval = checkInterval; }
        public long getRetryInterval() { return retryInterval; }
        public void setRetryInterval(long retryInterval) { this.retryInterval = retryInterval; }
        public List<String> getNotificationTypes() { return notificationTypes; }
        public void setNotificationTypes(List<String> notificationTypes) { this.notificationTypes = notificationTypes; }
        public Recovery getRecovery() { return recovery; }

        @Override
        public String toString() {
            return "Webhook[name=" + name + ", url=" + url + ", secret=" + (secret.isEmpty() ? "<unset>" : "<redacted>") + "]";
        }

        /** Deliveries Immuta could not make, asked to be made again. */
        public static class Recovery {
            /** Deliveries asked again at most per check. */
            @Min(0)
            private int maxRetries;
            /** How far back the first check of a new state database looks. */
            @NotNull
            private Duration lookBack;

            public int getMaxRetries() { return maxRetries; }
            public void setMaxRetries(int maxRetries) { this.maxRetries = maxRetries; }
            public Duration getLookBack() { return lookBack; }
            public void setLookBack(Duration lookBack) { this.lookBack = lookBack; }
        }
    }

    /** The webhook endpoint: what it accepts and how it stores what it acknowledges. */
    public static class Intake {
        /** The path Immuta delivers to; the intake route, the security filters and the body limit all use it. */
        @NotBlank
        @Pattern(regexp = "/[A-Za-z0-9/_-]*", message = "must be a plain path such as /immuta/webhook")
        private String path;
        /** Longest wait for the inbox commit before the delivery is answered 503 instead of 202. */
        @NotNull
        private Duration storeTimeout;
        /** Most notifications one group commit stores. */
        @Min(1)
        @Max(10000)
        private int groupCommitSize;
        /** Larger bodies are answered 413 after reading at most this much. */
        @NotNull
        private DataSize maxBodySize;
        /** Deliveries accepted per second; beyond it the answer is 429. */
        @Min(1)
        private int rateLimit;
        /** The HMAC the sender signs the body with: sha256 (current Immuta) or sha1 (older Immuta). */
        @NotNull
        private SignatureAlgorithm signatureAlgorithm;
        /** Request header carrying the signature; empty: the algorithm's own header. */
        private String signatureHeader = "";
        /** How the signature header encodes the HMAC. */
        @NotNull
        private SignatureEncoding signatureEncoding;

        public String getPath() { return path; }
        public void setPath(String path) { this.path = path; }
        public Duration getStoreTimeout() { return storeTimeout; }
        public void setStoreTimeout(Duration storeTimeout) { this.storeTimeout = storeTimeout; }
        public int getGroupCommitSize() { return groupCommitSize; }
        public void setGroupCommitSize(int groupCommitSize) { this.groupCommitSize = groupCommitSize; }
        public DataSize getMaxBodySize() { return maxBodySize; }
        public void setMaxBodySize(DataSize maxBodySize) { this.maxBodySize = maxBodySize; }
        public int getRateLimit() { return rateLimit; }
        public void setRateLimit(int rateLimit) { this.rateLimit = rateLimit; }
        public SignatureAlgorithm getSignatureAlgorithm() { return signatureAlgorithm; }
        public void setSignatureAlgorithm(SignatureAlgorithm signatureAlgorithm) { this.signatureAlgorithm = signatureAlgorithm; }
        public String getSignatureHeader() { return signatureHeader; }
        public void setSignatureHeader(String signatureHeader) { this.signatureHeader = signatureHeader; }
        public SignatureEncoding getSignatureEncoding() { return signatureEncoding; }
        public void setSignatureEncoding(SignatureEncoding signatureEncoding) { this.signatureEncoding = signatureEncoding; }

        public enum SignatureEncoding { HEX, BASE64 }

        /** Immuta's signature schemes: the JCA algorithm and the header Immuta puts the signature in. */
        public enum SignatureAlgorithm {
            SHA256("HmacSHA256", "x-immuta-webhook-signature-sha256"),
            SHA1("HmacSHA1", "x-immuta-webhook-signature");

            private final String macAlgorithm;
            private final String header;

            SignatureAlgorithm(String macAlgorithm, String header) {
                this.macAlgorithm = macAlgorithm;
                this.header = header;
            }

            public String macAlgorithm() { return macAlgorithm; }
            public String header() { return header; }
        }
    }

    /** Credentials for the admin endpoints and the actuator beyond health. */
    public static class Admin {
        /** User name for HTTP Basic authentication. */
        @NotBlank
        private String username;
        /** Password (VIEWSYNC_ADMIN_PASSWORD). Required unless the simulator demo runs; never logged. */
        private String password = "";

        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }

        @Override
        public String toString() {
            return "Admin[username=" + username + ", password=<redacted>]";
        }
    }

    /** How notifications and view tasks are worked off. */
    public static class Processing {
        /** Notifications processed at once: each mostly waits on its Immuta calls. */
        @Min(1)
        @Max(256)
        private int concurrency;

        /** View tasks worked at once: most of them wait on their view-SQL call to Immuta. */
        @Min(1)
        @Max(256)
        private int viewConcurrency;

        /**
         * View tasks that check their SQL, run their DDL and write their records at once (the work that uses the cores
         * and the targets); each target's connection pool holds one connection more.
         */
        @Min(1)
        @Max(64)
        private int applyConcurrency;

        public int getConcurrency() { return concurrency; }

        public void setConcurrency(int concurrency) { this.concurrency = concurrency; }

        public int getViewConcurrency() { return viewConcurrency; }

        public void setViewConcurrency(int viewConcurrency) { this.viewConcurrency = viewConcurrency; }

        public int getApplyConcurrency() { return applyConcurrency; }

        public void setApplyConcurrency(int applyConcurrency) { this.applyConcurrency = applyConcurrency; }
    }

    /** The durable queues in the state database: the notification inbox and the view tasks. */
    public static class Queue {
        /** How often each instance looks for due work. */
        @NotNull
        private Duration pollInterval;
        /** Rows one poll claims at most. */
        @Min(1)
        @Max(1000)
        private int batchSize;
        /** How long a claim holds; work whose instance died is taken over after it. */
        @NotNull
        private Duration claimTimeout;
        /** How long a view task waits for more requests about the same view before it runs. */
        @NotNull
        private Duration coalesceWindow;
        /** Attempts before a notification or view task is marked FAILED. */
        @Min(1)
        private int maxAttempts;
        /** Delay before the first retry; doubles per attempt, with jitter. */
        @NotNull
        private Duration initialBackoff;
        /** The longest delay between attempts. */
        @NotNull
        private Duration maxBackoff;

        public Duration getPollInterval() { return pollInterval; }
        public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public Duration getClaimTimeout() { return claimTimeout; }
        public void setClaimTimeout(Duration claimTimeout) { this.claimTimeout = claimTimeout; }
        public Duration getCoalesceWindow() { return coalesceWindow; }
        public void setCoalesceWindow(Duration coalesceWindow) { this.coalesceWindow = coalesceWindow; }
        public int getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
        public Duration getInitialBackoff() { return initialBackoff; }
        public void setInitialBackoff(Duration initialBackoff) { this.initialBackoff = initialBackoff; }
        public Duration getMaxBackoff() { return maxBackoff; }
        public void setMaxBackoff(Duration maxBackoff) { this.maxBackoff = maxBackoff; }
    }

    /** The periodic comparison of Immuta, the records and the targets. */
    public static class Reconciliation {
        /** Reconcile at start and every interval (POST /admin/reconcile works either way). */
        private boolean enabled;
        /** Time between runs. */
        @NotNull
        private Duration interval;
        /** How often each instance looks for a reconciliation a notification asked for. */
        @NotNull
        private Duration requestPollInterval;
        /** How long a run waits for its view work before it reports, in polls of 100 ms. */
        @Min(1)
        private int awaitPolls;
        /**
         * Data sources compared with Immuta at once (thread pool profile {@code reconciliation}). A run with nothing
         * to change waits on one view-SQL call per view; {@code immuta.max-concurrent-calls} bounds the calls.
         */
        @Min(1)
        @Max(256)
        private int concurrency;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public Duration getInterval() { return interval; }
        public void setInterval(Duration interval) { this.interval = interval; }
        public Duration getRequestPollInterval() { return requestPollInterval; }
        public void setRequestPollInterval(Duration requestPollInterval) { this.requestPollInterval = requestPollInterval; }
        public int getAwaitPolls() { return awaitPolls; }
        public void setAwaitPolls(int awaitPolls) { this.awaitPolls = awaitPolls; }
        public int getConcurrency() { return concurrency; }
        public void setConcurrency(int concurrency) { this.concurrency = concurrency; }
    }

    /** The checks of Immuta and the targets that say what fixes a failure. */
    public static class Preflight {
        /** Run them once the service has started and log their table. */
        private boolean atStart;

        public boolean isAtStart() { return atStart; }
        public void setAtStart(boolean atStart) { this.atStart = atStart; }
    }

    /** How views are named. */
    public static class Views {
        /**
         * View name before slugging; {@code {project}} and {@code {table}} stand for the project name and the data
         * source's sqlTableName. Each part is slugged to [a-z0-9_] on its own.
         */
        @NotBlank
        @Pattern(regexp = ".*\\{table}.*", message = "must contain {table}")
        private String nameTemplate;

        public String getNameTemplate() { return nameTemplate; }
        public void setNameTemplate(String nameTemplate) { this.nameTemplate = nameTemplate; }
    }

    /** One target database. */
    public static class Target {
        /** JDBC URL of the target database. */
        @NotBlank
        private String url;
        private String username;
        /** Never logged. */
        private String password;
        /** Immuta blobHandlerType values whose data sources get views here, e.g. PostgreSQL. */
        @NotEmpty
        private List<String> handlerTypes = new ArrayList<>();
        /** Schema (database, on MariaDB) holding the views; created when missing. */
        @NotBlank
        @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*", message = "must be a plain identifier")
        private String schema = "immuta_views";
        /** postgresql, mariadb or h2; inferred from the URL when empty. */
        private String dialect;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public List<String> getHandlerTypes() { return handlerTypes; }
        public void setHandlerTypes(List<String> handlerTypes) { this.handlerTypes = handlerTypes; }
        public String getSchema() { return schema; }
        public void setSchema(String schema) { this.schema = schema; }
        public String getDialect() { return dialect; }
        public void setDialect(String dialect) { this.dialect = dialect; }

        @Override
        public String toString() {
            return "Target[url=" + url + ", username=" + username + ", password=<redacted>, schema=" + schema + "]";
        }
    }
}
