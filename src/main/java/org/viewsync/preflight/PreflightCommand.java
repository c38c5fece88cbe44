package org.viewsync.preflight;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar immuta-view-sync.jar --preflight}: the preflight on its own, for CI/CD and init containers. The
 * service starts with the same configuration but runs no route of its own (no webhook check, no queue, no
 * reconciliation), prints the preflight's table and exits 0 when every check passes, 1 otherwise.
 */
public final class PreflightCommand {

    public static final String ARGUMENT = "--preflight";

    private PreflightCommand() {
    }

    public static boolean isAsked(String[] args) {
        return Arrays.asList(args).contains(ARGUMENT);
    }

    /** Runs the preflight; answers the process's exit code. */
    public static int run(Class<?> application, String[] args) {
        // Command-line arguments outrank application.yaml: no route of the service's own, no preflight at start, any port.
        List<String> forced = List.of("--camel.main.auto-startup=false", "--viewsync.preflight.at-start=false", "--server.port=0");
        String[] configuration = Stream.concat(Arrays.stream(args).filter(arg -> !arg.equals(ARGUMENT)
                        && forced.stream().noneMatch(setting -> arg.startsWith(setting.substring(0, setting.indexOf('=') + 1)))),
                forced.stream()).toArray(String[]::new);
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(application).run(configuration)) {
            PreflightReport report = service.getBean(Preflight.class).run();
            System.out.print(report.table());
            return report.isPassed() ? 0 : 1;
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.out.println("Preflight: FAILED\n  FAIL  configuration  the service does not start: " + cause.getMessage());
            return 1;
        }
    }
}
