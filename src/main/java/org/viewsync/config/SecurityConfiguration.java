package org.viewsync.config;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;
import org.viewsync.intake.WebhookBodyLimit;

/**
 * Who may call what. The webhook intake is open to the network and authenticates deliveries by their signature
 * (see the intake route); health probes are open; everything else (the views list, the admin endpoints, the
 * actuator, Hawtio and Jolokia) needs the admin's HTTP Basic credentials. The simulator demo, and only it, runs
 * without a password.
 */
@Configuration
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * The open endpoints (and the error page their rejections render) get a chain without any authentication
     * mechanism: a flood of webhook deliveries carrying made-up Basic credentials must not cost a password check each.
     */
    @Bean
    @Order(1)
    SecurityFilterChain openEndpoints(HttpSecurity http, ViewSyncProperties properties) throws Exception {
        return http.securityMatcher(properties.getIntake().getPath(), "/actuator/health", "/actuator/health/**", "/error")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain security(HttpSecurity http, ViewSyncProperties properties,
            @Value("${viewsync.simulator.enabled:false}") boolean demo) throws Exception {
        boolean open = demo && properties.getAdmin().getPassword().isEmpty();
        if (open) {
            log.warn("Simulator demo without viewsync.admin.password: the admin endpoints, the actuator and Hawtio are OPEN to anyone.");
        } else if (properties.getAdmin().getPassword().isEmpty()) {
            throw new IllegalStateException("viewsync.admin.password (VIEWSYNC_ADMIN_PASSWORD) must be set: it protects the admin"
                    + " endpoints, the actuator and Hawtio. Only the simulator demo runs without one.");
        }
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(Customizer.withDefaults())
                .authorizeHttpRequests(requests -> {
                    if (demo) {
                        requests.requestMatchers("/immuta-simulator/**").permitAll();
                    }
                    if (open) {
                        requests.anyRequest().permitAll();
                    } else {
                        requests.anyRequest().hasRole("ADMIN");
                    }
                });
        return http.build();
    }

    /**
     * The chains match plain path patterns. By default Spring Security asks Spring MVC which handler each request
     * would reach, for every matcher of every request: measured as a large share of the webhook's CPU under load.
     */
    @Bean
    PathPatternRequestMatcher.Builder pathPatterns() {
        return PathPatternRequestMatcher.withDefaults();
    }

    @Bean
    UserDetailsService administrators(ViewSyncProperties properties, PasswordEncoder passwords) {
        if (properties.getAdmin().getPassword().isEmpty()) {
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(properties.getAdmin().getUsername())
                .password(passwords.encode(properties.getAdmin().getPassword())).roles("ADMIN").build());
    }

    /** BCrypt at its lowest cost: the password is configuration, not a stored hash to protect, and is checked per request. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder(4);
    }

    /**
     * Spring Security's filters, registered as Spring Boot would register them (its registration is excluded in
     * {@code ViewSyncApplication}), except for webhook deliveries: their chain above permits everything anyway, and
     * the route authenticates them by signature. Passing through the filters cost a delivery more than its route: at
     * 1,000 deliveries/s, 18 % of the service's CPU, most of it Spring MVC working out which handler the request
     * would reach (HandlerMappingIntrospector, which Spring Security consults for every request), done again by the
     * DispatcherServlet. Only the exact request line {@code POST /immuta/webhook} skips them; any variant of the path
     * (a dot segment, a parameter, an encoded character) is filtered like every other request.
     */
    @Bean
    DelegatingFilterProxyRegistrationBean securityFilters(SecurityProperties security, WebApplicationContext context,
            ViewSyncProperties properties) {
        String webhookPath = properties.getIntake().getPath();
        DelegatingFilterProxyRegistrationBean registration =
                new DelegatingFilterProxyRegistrationBean(AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME) {
                    @Override
                    public DelegatingFilterProxy getFilter() {
                        return new DelegatingFilterProxy(getTargetBeanName(), context) {
                            @Override
                            protected void initFilterBean() {
                                // As Spring Boot's registration: the chain is looked up on the first request.
                            }

                            @Override
                            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                                    throws ServletException, IOException {
                                if (request instanceof HttpServletRequest http && isWebhookDelivery(http, webhookPath)) {
                                    chain.doFilter(request, response);
                                } else {
                                    super.doFilter(request, response, chain);
                                }
                            }
                        };
                    }
                };
        registration.setOrder(security.getFilter().getOrder());
        registration.setDispatcherTypes(EnumSet.copyOf(security.getFilter().getDispatcherTypes().stream()
                .map(type -> DispatcherType.valueOf(type.name())).toList()));
        return registration;
    }

    static boolean isWebhookDelivery(HttpServletRequest request, String webhookPath) {
        return "POST".equals(request.getMethod()) && webhookPath.equals(request.getRequestURI());
    }

    /** Before anything reads the body: a body over the limit is refused without being read whole. */
    @Bean
    FilterRegistrationBean<WebhookBodyLimit> webhookBodyLimit(ViewSyncProperties properties) {
        FilterRegistrationBean<WebhookBodyLimit> registration =
                new FilterRegistrationBean<>(new WebhookBodyLimit(properties.getIntake().getMaxBodySize().toBytes()));
        registration.addUrlPatterns(properties.getIntake().getPath());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
