package org.fgclip2.testing;

import org.fgclip2.serialization.registry.LocalSchemaRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real schema registry ({@link LocalSchemaRegistry}) as a parameter. One registry serves the
 * whole test run and is stopped at its end, so tests must use subjects of their own.
 */
public final class LocalSchemaRegistryExtension implements ParameterResolver {

    private record Running(LocalSchemaRegistry registry) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            registry.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalSchemaRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(LocalSchemaRegistryExtension.class));
        return store.getOrComputeIfAbsent(Running.class, key -> new Running(LocalSchemaRegistry.start()), Running.class).registry();
    }
}
