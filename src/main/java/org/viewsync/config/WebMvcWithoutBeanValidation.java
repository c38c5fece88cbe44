package org.viewsync.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC without Bean Validation. No handler of the service validates its arguments (the webhook's route checks
 * its own input; Bean Validation is on the classpath for the configuration properties). Given a Bean Validation
 * provider, Spring MVC would still look for {@code @Validated} on every request, twice for the webhook (camel-platform-http
 * answers asynchronously), by walking the platform-http consumer's class hierarchy: 14 % of the CPU of the threads
 * that answer webhooks at 1,000 deliveries a second. A validator that supports no type turns that lookup off.
 */
@Configuration
public class WebMvcWithoutBeanValidation implements WebMvcConfigurer {

    @Override
    public Validator getValidator() {
        return new Validator() {
            @Override
            public boolean supports(Class<?> type) {
                return false;
            }

            @Override
            public void validate(Object target, Errors errors) {
                // Never called: it supports no type.
            }
        };
    }
}
