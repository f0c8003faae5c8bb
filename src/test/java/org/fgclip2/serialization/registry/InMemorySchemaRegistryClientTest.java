package org.fgclip2.serialization.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V1;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V2;

import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void registeringTheSameSchemaAgainAddsNoVersion() {
        int first = registry.register("a-value", GREETING_V1);
        int again = registry.register("a-value", GREETING_V1);

        assertThat(again).isEqualTo(first);
        assertThat(registry.latest("a-value")).hasValue(new RegisteredSchema("a-value", 1, first, GREETING_V1));
    }

    @Test
    void newVersionsGetNewIdsAndVersionNumbers() {
        int v1 = registry.register("a-value", GREETING_V1);
        int v2 = registry.register("a-value", GREETING_V2);

        assertThat(v2).isNotEqualTo(v1);
        assertThat(registry.latest("a-value")).hasValue(new RegisteredSchema("a-value", 2, v2, GREETING_V2));
        assertThat(registry.schemaById(v1)).isEqualTo(GREETING_V1);
        assertThat(registry.schemaById(v2)).isEqualTo(GREETING_V2);
    }

    @Test
    void anIdStandsForTheSameSchemaInEverySubject() {
        int inA = registry.register("a-value", GREETING_V1);
        int inB = registry.register("b-value", GREETING_V1);

        assertThat(inB).isEqualTo(inA);
        assertThat(registry.latest("b-value").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void lookupHonoursTheSubject() {
        int id = registry.register("a-value", GREETING_V1);

        assertThat(registry.idOf("a-value", GREETING_V1)).hasValue(id);
        assertThat(registry.idOf("b-value", GREETING_V1)).isEmpty();
        assertThat(registry.idOf("a-value", GREETING_V2)).isEmpty();
        assertThat(registry.latest("b-value")).isEmpty();
    }

    @Test
    void unknownIdsAreSchemaNotFound() {
        registry.register("a-value", GREETING_V1);

        assertThatThrownBy(() -> registry.schemaById(2))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isSchemaNotFound()).isTrue());
        assertThatThrownBy(() -> registry.schemaById(0)).isInstanceOf(SchemaRegistryException.class);
    }
}
