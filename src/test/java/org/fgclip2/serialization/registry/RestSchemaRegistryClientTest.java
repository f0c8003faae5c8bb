package org.fgclip2.serialization.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.fgclip2.serialization.registry.ScriptedHttpServer.answer;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V1;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.avro.Schema;
import org.fgclip2.serialization.registry.ScriptedHttpServer.Request;
import org.junit.jupiter.api.Test;

/** The client's HTTP behaviour against a scripted server; the real registry is in RestSchemaRegistryClientIT. */
class RestSchemaRegistryClientTest {

    private static final Duration QUICK = Duration.ofMillis(5);

    @Test
    void registersWithTheConfluentContentTypeAndCachesBothWays() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(200, "{\"id\":42}"))) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistryConfig.forUrls(server.url()));

            assertThat(client.register("greetings-value", GREETING_V1)).isEqualTo(42);
            assertThat(client.register("greetings-value", GREETING_V1)).isEqualTo(42);
            assertThat(client.schemaById(42)).isEqualTo(GREETING_V1);

            assertThat(server.requests()).hasSize(1);
            Request request = server.requests().get(0);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/apis/ccompat/v7/subjects/greetings-value/versions");
            assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
            String sentSchema = new ObjectMapper().readTree(request.body()).get("schema").asText();
            assertThat(new Schema.Parser().parse(sentSchema)).isEqualTo(GREETING_V1);
            assertThat(request.authorization()).isNull();
        }
    }

    @Test
    void sendsBasicCredentials() {
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(200, "{\"id\":1}"))) {
            SchemaRegistryConfig config = withAuth(server.url(), RegistryAuth.basic("user", "secret"));

            new RestSchemaRegistryClient(config).register("s", GREETING_V1);

            // base64("user:secret")
            assertThat(server.requests().get(0).authorization()).isEqualTo("Basic dXNlcjpzZWNyZXQ=");
        }
    }

    @Test
    void sendsABearerToken() {
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(200, "{\"id\":1}"))) {
            SchemaRegistryConfig config = withAuth(server.url(), RegistryAuth.bearer("t0ken"));

            new RestSchemaRegistryClient(config).register("s", GREETING_V1);

            assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer t0ken");
        }
    }

    @Test
    void fetchesASchemaByIdOnce() {
        String schemaAnswer = new ObjectMapper().createObjectNode().put("schema", GREETING_V1.toString()).toString();
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(200, schemaAnswer))) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistryConfig.forUrls(server.url()));

            assertThat(client.schemaById(7)).isEqualTo(GREETING_V1);
            assertThat(client.schemaById(7)).isEqualTo(GREETING_V1);

            assertThat(server.requests()).extracting(Request::method, Request::path)
                    .containsExactly(tuple("GET", "/apis/ccompat/v7/schemas/ids/7"));
        }
    }

    @Test
    void retriesServerErrors() {
        try (ScriptedHttpServer server = new ScriptedHttpServer(
                answer(503, "busy"), answer(500, "{\"error_code\":50001,\"message\":\"storage\"}"), answer(200, "{\"id\":3}"))) {
            SchemaRegistryConfig config = SchemaRegistryConfig.forUrls(server.url()).withRetries(2, QUICK);

            assertThat(new RestSchemaRegistryClient(config).register("s", GREETING_V1)).isEqualTo(3);
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void givesUpAfterTheLastRetry() {
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(503, "registry overloaded"))) {
            SchemaRegistryConfig config = SchemaRegistryConfig.forUrls(server.url()).withRetries(2, QUICK);

            assertThatThrownBy(() -> new RestSchemaRegistryClient(config).register("s", GREETING_V1))
                    .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> assertThat(e.httpStatus()).isEqualTo(503))
                    .hasMessageContaining("3 attempt(s)")
                    .hasMessageContaining("HTTP 503: registry overloaded");
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void movesOnToTheNextUrlWhenOneDoesNotAnswer() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(200, "{\"id\":9}"))) {
            SchemaRegistryConfig config = SchemaRegistryConfig.forUrls("http://127.0.0.1:" + closedPort() + "/apis/ccompat/v7, " + server.url())
                    .withRetries(1, QUICK);

            assertThat(new RestSchemaRegistryClient(config).register("s", GREETING_V1)).isEqualTo(9);
        }
    }

    @Test
    void refusalsFailAtOnceWithTheRegistrysErrorCode() {
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"))) {
            SchemaRegistryConfig config = SchemaRegistryConfig.forUrls(server.url()).withRetries(3, QUICK);

            assertThatThrownBy(() -> new RestSchemaRegistryClient(config).register("s", GREETING_V1))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e).isNotInstanceOf(SchemaRegistryUnavailableException.class);
                        assertThat(e.httpStatus()).isEqualTo(401);
                    })
                    .hasMessageContaining("error_code 40101")
                    .hasMessageContaining("register a schema under subject 's'")
                    .hasMessageContaining("Unauthorized")
                    .hasMessageContaining("credentials");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void missingSubjectsAndSchemasAreEmptyLookups() {
        try (ScriptedHttpServer server = new ScriptedHttpServer(answer(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"))) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistryConfig.forUrls(server.url()));

            assertThat(client.idOf("s", GREETING_V1)).isEmpty();
            assertThat(client.latest("s")).isEmpty();
            assertThat(server.requests()).extracting(Request::path)
                    .containsExactly("/apis/ccompat/v7/subjects/s", "/apis/ccompat/v7/subjects/s/versions/latest");
        }
    }

    @Test
    void nonAvroSchemasAreRefused() {
        try (ScriptedHttpServer server = new ScriptedHttpServer(
                answer(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"))) {
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(SchemaRegistryConfig.forUrls(server.url()));

            assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("schema id 1 is a PROTOBUF schema, not Avro");
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static SchemaRegistryConfig withAuth(String url, RegistryAuth auth) {
        SchemaRegistryConfig plain = SchemaRegistryConfig.forUrls(url);
        return new SchemaRegistryConfig(plain.urls(), auth, plain.tls(), plain.connectTimeout(), plain.requestTimeout(),
                plain.maxRetries(), plain.retryBackoff());
    }
}
