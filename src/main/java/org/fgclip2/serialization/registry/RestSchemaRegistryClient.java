package org.fgclip2.serialization.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} speaking the Confluent REST API over HTTP(S), so it works with Confluent
 * Schema Registry, Karapace, and Apicurio Registry's {@code /apis/ccompat/v7}.
 *
 * <p>Connection failures and 5xx answers are retried with exponential back-off, moving on to the next URL
 * each time; any other refusal fails at once with the registry's {@code error_code} and message. Schemas
 * referencing other subjects (Confluent "references") are not supported.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";

    private final SchemaRegistryConfig config;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    /** The URL that answered last: requests start there rather than at a dead first URL. */
    private final AtomicInteger preferredUrl = new AtomicInteger();

    private record SubjectSchema(String subject, Schema schema) {}

    public RestSchemaRegistryClient(SchemaRegistryConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout());
        config.tls().ifPresent(tls -> builder.sslContext(tls.sslContext()));
        this.http = builder.build();
    }

    public SchemaRegistryConfig config() {
        return config;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer known = idsBySubjectSchema.get(key);
        if (known != null) {
            return known;
        }
        JsonNode answer = send("POST", subjectPath(subject) + "/versions", schemaBody(schema),
                "register a schema under subject '" + subject + "'");
        int id = requiredInt(answer, "id");
        remember(key, id);
        return id;
    }

    @Override
    public OptionalInt idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer known = idsBySubjectSchema.get(key);
        if (known != null) {
            return OptionalInt.of(known);
        }
        try {
            JsonNode answer = send("POST", subjectPath(subject), schemaBody(schema),
                    "look up a schema under subject '" + subject + "'");
            int id = requiredInt(answer, "id");
            remember(key, id);
            return OptionalInt.of(id);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    @Override
    public Schema schemaById(int id) {
        Schema known = schemasById.get(id);
        if (known != null) {
            return known;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        Schema schema = parseSchema(answer, "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public Optional<RegisteredSchema> latest(String subject) {
        try {
            JsonNode answer = send("GET", subjectPath(subject) + "/versions/latest", null,
                    "fetch the latest version of subject '" + subject + "'");
            int id = requiredInt(answer, "id");
            Schema schema = parseSchema(answer, "schema id " + id);
            schemasById.putIfAbsent(id, schema);
            return Optional.of(new RegisteredSchema(subject, requiredInt(answer, "version"), id, schema));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The registry-wide default compatibility level. */
    public Compatibility globalCompatibility() {
        JsonNode answer = send("GET", "/config", null, "read the global compatibility level");
        String level = answer.path("compatibilityLevel").asText(answer.path("compatibility").asText());
        try {
            return Compatibility.valueOf(level);
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException("Unknown compatibility level in the registry's answer: " + answer, 200, 0);
        }
    }

    /** Sets the registry-wide default compatibility level. */
    public void setGlobalCompatibility(Compatibility level) {
        ObjectNode body = json.createObjectNode().put("compatibility", level.name());
        send("PUT", "/config", body.toString(), "set the global compatibility level to " + level);
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, key.schema());
    }

    private String schemaBody(Schema schema) {
        return json.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Schema parseSchema(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(what + " is a " + type + " schema, not Avro", 200, 0);
        }
        if (!answer.path("schema").isTextual()) {
            throw new SchemaRegistryException("The registry's answer for " + what + " has no schema: " + answer, 200, 0);
        }
        try {
            return new Schema.Parser().parse(answer.get("schema").asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(what + " from the registry is not a valid Avro schema: " + e.getMessage(), 200, 0, e);
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("The registry's answer has no integer '" + field + "': " + answer, 200, 0);
        }
        return value.intValue();
    }

    private JsonNode send(String method, String path, String body, String action) {
        List<URI> urls = config.urls();
        int attempts = config.maxRetries() + 1;
        int start = preferredUrl.get();
        String lastProblem = null;
        int lastStatus = 0;
        Exception lastFailure = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                pause(config.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 10)), action);
            }
            int urlIndex = (start + attempt) % urls.size();
            URI uri = URI.create(withoutTrailingSlash(urls.get(urlIndex)) + path);
            try {
                HttpResponse<String> response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 500) {
                    lastStatus = status;
                    lastFailure = null;
                    lastProblem = method + " " + uri + " answered HTTP " + status + errorText(response.body());
                    continue;
                }
                preferredUrl.set(urlIndex);
                if (status >= 200 && status < 300) {
                    return parseJson(response.body(), uri);
                }
                throw refusal(action, method, uri, status, response.body());
            } catch (SSLException e) {
                // a certificate problem does not go away by retrying
                throw new SchemaRegistryException("TLS with the schema registry failed, so could not " + action + ": "
                        + describe(e) + " (" + method + " " + uri + "). Check that the truststore trusts the registry's"
                        + " certificate and, if it asks for one, that the keystore holds an accepted client certificate.",
                        0, 0, e);
            } catch (IOException e) {
                lastStatus = 0;
                lastFailure = e;
                lastProblem = method + " " + uri + " failed: " + describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("Interrupted while trying to " + action, 0, e);
            }
        }
        throw new SchemaRegistryUnavailableException(
                "Schema registry unavailable: could not " + action + " in " + attempts + " attempt(s); last: " + lastProblem
                        + ". Check that the registry at " + urls + " is running and reachable.",
                lastStatus, lastFailure);
    }

    private HttpRequest request(String method, URI uri, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        config.auth().authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE);
            builder.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private JsonNode parseJson(String body, URI uri) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("The answer from " + uri + " is not JSON: " + abbreviate(body), 200, 0, e);
        }
    }

    private SchemaRegistryException refusal(String action, String method, URI uri, int status, String body) {
        int errorCode = 0;
        String message = abbreviate(body);
        try {
            JsonNode error = json.readTree(body);
            errorCode = error.path("error_code").asInt(0);
            message = error.path("message").asText(message);
        } catch (JsonProcessingException e) {
            // not the registry's JSON error (a proxy's page, say): the raw text is the best we have
        }
        String hint = switch (status) {
            case 401, 403 -> " Check the schema registry credentials.";
            case 409 -> " The schema is not compatible with the subject's earlier versions under the registry's"
                    + " compatibility level; evolve it compatibly (e.g. give new fields a default) or use a new subject.";
            case 422 -> " The registry does not accept the schema as valid.";
            default -> "";
        };
        return new SchemaRegistryException(
                "Schema registry refused to " + action + ": HTTP " + status + ", error_code " + errorCode + ": " + message
                        + " (" + method + " " + uri + ")." + hint,
                status, errorCode);
    }

    private static String errorText(String body) {
        return body == null || body.isBlank() ? "" : ": " + abbreviate(body);
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException && e.getMessage() == null) {
            return "connection refused (nothing listening there?)";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "…";
    }

    private static String withoutTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static void pause(Duration duration, String action) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while waiting to retry: " + action, 0, e);
        }
    }
}
