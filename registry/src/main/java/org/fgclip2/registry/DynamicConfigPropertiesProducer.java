package org.fgclip2.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * Stands in for Apicurio's {@code config-index} Quarkus extension, whose build-time half is not published
 * on Maven Central. That extension lists the properties an administrator may change at run time; this
 * registry is local and short-lived, so it offers none and every property keeps its configured value.
 */
public class DynamicConfigPropertiesProducer {

    @Produces
    @Singleton
    DynamicConfigPropertyList noRuntimeEditableProperties() {
        return new DynamicConfigPropertyList(List.of());
    }
}
