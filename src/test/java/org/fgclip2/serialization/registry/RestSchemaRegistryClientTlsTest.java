package org.fgclip2.serialization.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fgclip2.serialization.testdata.TestSchemas.GREETING_V1;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.fgclip2.serialization.registry.RegistryTls.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TLS settings against a real HTTPS server that demands a client certificate (mutual TLS), with
 * key stores made by the JDK's keytool.
 */
class RestSchemaRegistryClientTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static String url;

    @BeforeAll
    static void startMutualTlsServer() throws Exception {
        selfSigned("server", "server.p12");
        selfSigned("client", "client.p12");
        trustCertificateOf("server", "server.p12", "client-trust.p12");
        trustCertificateOf("client", "client.p12", "server-trust.p12");

        SSLContext serverContext = new RegistryTls(
                Optional.of(pkcs12("server-trust.p12", PASSWORD)),
                Optional.of(pkcs12("server.p12", PASSWORD))).sslContext();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = serverContext.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            byte[] body = "{\"id\":5}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @Test
    void trustsTheServerAndPresentsTheClientCertificate() {
        RegistryTls tls = new RegistryTls(Optional.of(pkcs12("client-trust.p12", PASSWORD)),
                Optional.of(pkcs12("client.p12", PASSWORD)));

        assertThat(client(tls).register("s", GREETING_V1)).isEqualTo(5);
    }

    @Test
    void anUntrustedServerFailsAtOnceWithATlsHint() {
        RegistryTls jdkDefaults = new RegistryTls(Optional.empty(),
                Optional.of(pkcs12("client.p12", PASSWORD)));

        assertThatThrownBy(() -> client(jdkDefaults).register("s", GREETING_V1))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("TLS with the schema registry failed")
                .hasMessageContaining("truststore");
    }

    @Test
    void withoutAClientCertificateTheServerRefuses() {
        RegistryTls noClientCertificate = trusting(pkcs12("client-trust.p12", PASSWORD));

        assertThatThrownBy(() -> client(noClientCertificate).register("s", GREETING_V1))
                .isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void aWrongStorePasswordIsNamed() {
        RegistryTls wrong = trusting(pkcs12("client-trust.p12", "wrong"));

        assertThatThrownBy(wrong::sslContext)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client-trust.p12")
                .hasMessageContaining("password");
    }

    private static RestSchemaRegistryClient client(RegistryTls tls) {
        SchemaRegistryConfig plain = SchemaRegistryConfig.forUrls(url);
        return new RestSchemaRegistryClient(new SchemaRegistryConfig(plain.urls(), plain.auth(), Optional.of(tls),
                plain.connectTimeout(), plain.requestTimeout(), 0, Duration.ZERO));
    }

    /** Trusts the certificates in the store instead of the JDK's; presents no client certificate. */
    private static RegistryTls trusting(Store truststore) {
        return new RegistryTls(Optional.of(truststore), Optional.empty());
    }

    private static Store pkcs12(String file, String password) {
        return new Store(dir.resolve(file), password, "PKCS12");
    }

    private static void selfSigned(String name, String keystore) throws Exception {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore, "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
    }

    private static void trustCertificateOf(String name, String keystore, String truststore) throws Exception {
        keytool("-exportcert", "-alias", name, "-keystore", keystore, "-storepass", PASSWORD, "-file", name + ".cer");
        keytool("-importcert", "-noprompt", "-alias", name, "-file", name + ".cer", "-keystore", truststore,
                "-storetype", "PKCS12", "-storepass", PASSWORD);
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + command + "\n" + output);
        }
    }
}
