package org.fgclip2.serialization.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V1;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V2;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V3_INCOMPATIBLE;

import org.fgclip2.testing.LocalSchemaRegistryExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST client against a real registry (Apicurio's Confluent API). */
@ExtendWith(LocalSchemaRegistryExtension.class)
class RestSchemaRegistryClientIT {

    private final RestSchemaRegistryClient client;
    private final LocalSchemaRegistry registry;
    private String subject;

    RestSchemaRegistryClientIT(LocalSchemaRegistry registry) {
        this.registry = registry;
        this.client = freshClient();
    }

    @BeforeEach
    void subjectOfItsOwn(TestInfo test) {
        subject = "rest-it-" + test.getTestMethod().orElseThrow().getName() + "-value";
    }

    @Test
    void registeringAgainReturnsTheSameIdAndAddsNoVersion() {
        int id = client.register(subject, GREETING_V1);

        assertThat(freshClient().register(subject, GREETING_V1)).isEqualTo(id);
        assertThat(freshClient().latest(subject)).hasValueSatisfying(latest -> {
            assertThat(latest.version()).isEqualTo(1);
            assertThat(latest.id()).isEqualTo(id);
            assertThat(latest.schema()).isEqualTo(GREETING_V1);
        });
    }

    @Test
    void aCompatibleNewVersionGetsItsOwnIdReadableByAnyClient() {
        int v1 = client.register(subject, GREETING_V1);
        int v2 = client.register(subject, GREETING_V2);

        RestSchemaRegistryClient fresh = freshClient();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(fresh.schemaById(v1)).isEqualTo(GREETING_V1);
        assertThat(fresh.schemaById(v2)).isEqualTo(GREETING_V2);
        assertThat(fresh.latest(subject).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void lookupFindsOnlyWhatTheSubjectHas() {
        int id = client.register(subject, GREETING_V1);

        RestSchemaRegistryClient fresh = freshClient();
        assertThat(fresh.idOf(subject, GREETING_V1)).hasValue(id);
        assertThat(fresh.idOf(subject, GREETING_V2)).isEmpty();
        assertThat(fresh.idOf(subject + "-never-registered", GREETING_V1)).isEmpty();
        assertThat(fresh.latest(subject + "-never-registered")).isEmpty();
    }

    @Test
    void backwardCompatibilityRefusesAFieldWithoutDefault() {
        client.register(subject, GREETING_V2);

        assertThatThrownBy(() -> client.register(subject, GREETING_V3_INCOMPATIBLE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isIncompatible()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(409);
                })
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining(subject)
                .hasMessageContaining("priority")
                .hasMessageContaining("not compatible with the subject's earlier versions");
    }

    @Test
    void unknownIdsAreSchemaNotFound() {
        assertThatThrownBy(() -> client.schemaById(987_654))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isSchemaNotFound()).isTrue();
                    assertThat(e.httpStatus()).isEqualTo(404);
                });
    }

    private RestSchemaRegistryClient freshClient() {
        return new RestSchemaRegistryClient(SchemaRegistryConfig.forUrls(registry.url().toString()));
    }
}
