package org.fgclip2.heatmap.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.fgclip2.heatmap.HeatmapKey;
import org.fgclip2.heatmap.HeatmapNames;
import org.fgclip2.testing.S3rverServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * {@link S3HeatmapStore} against a real S3-compatible server, s3rver, started by {@link S3rverServer} (npm install
 * once per machine, then a Node child process on a free loopback port; see its javadoc). Credentials reach the
 * store the way they do in production, through the SDK's default provider chain: here its first link, the
 * {@code aws.accessKeyId} / {@code aws.secretAccessKey} system properties.
 */
class S3HeatmapStoreIT {

    private static final String BUCKET = "fgclip2-heatmaps";
    private static final HeatmapKey KEY = new HeatmapKey("img/../1 ü", "default", "red car");
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 1, 2, (byte) 0xFF};

    @TempDir
    static Path data;
    private static S3rverServer server;
    private static S3Client reader;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3rverServer.start(data, BUCKET);
        reader = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3rverServer.ACCESS_KEY, S3rverServer.SECRET_KEY)))
                .build();
        credentials(S3rverServer.ACCESS_KEY, S3rverServer.SECRET_KEY);
    }

    @AfterEach
    void serverCredentials() {
        credentials(S3rverServer.ACCESS_KEY, S3rverServer.SECRET_KEY);
    }

    @AfterAll
    static void stopServer() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        reader.close();
        server.close();
    }

    private static void credentials(String accessKey, String secretKey) {
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", secretKey);
    }

    private static S3HeatmapSettings settings(URI endpoint, String bucket, Duration presignTtl) {
        return new S3HeatmapSettings(Optional.of(endpoint), Optional.of("us-east-1"), bucket, "maps/", true,
                presignTtl, Duration.ofSeconds(5));
    }

    @Test
    void uploadsThePngUnderItsSafeNameAndPublishesAnS3Uri() {
        String objectKey = "maps/" + HeatmapNames.relativePath(KEY);
        try (S3HeatmapStore store = new S3HeatmapStore(settings(server.endpoint(), BUCKET, Duration.ZERO))) {
            store.put(KEY, new byte[] {1, 2, 3});
            URI uri = store.put(KEY, PNG);

            assertThat(uri).hasToString("s3://" + BUCKET + "/" + objectKey);
            assertThat(objectKey).as("no id character adds a folder or needs escaping")
                    .matches("maps/[A-Za-z0-9._~-]+/[A-Za-z0-9._~-]+/[A-Za-z0-9._~-]+\\.png");
        }
        ResponseBytes<GetObjectResponse> back = reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(objectKey));
        assertThat(back.asByteArray()).as("the second put replaced the first, byte for byte").isEqualTo(PNG);
        assertThat(back.response().contentType()).isEqualTo("image/png");
    }

    @Test
    void aPresignedUrlOpensWithPlainHttpUntilItExpires() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI url;
        URI shortLived;
        try (S3HeatmapStore store = new S3HeatmapStore(settings(server.endpoint(), BUCKET, Duration.ofMinutes(10)));
             S3HeatmapStore brief = new S3HeatmapStore(settings(server.endpoint(), BUCKET, Duration.ofSeconds(1)))) {
            url = store.put(KEY, PNG);
            shortLived = brief.put(new HeatmapKey("img-2", "default", "cat"), PNG);
        }
        assertThat(url.toString()).as("path-style: the bucket is the first path segment")
                .startsWith(server.endpoint() + "/" + BUCKET + "/maps/").contains("X-Amz-Expires=600")
                .contains("X-Amz-Signature=");

        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(PNG);

        Thread.sleep(2_100);
        HttpResponse<String> expired = http.send(HttpRequest.newBuilder(shortLived).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("expired");
    }

    @Test
    void aMissingBucketSaysSoAndThatTheApplicationNeverCreatesOne() {
        try (S3HeatmapStore store = new S3HeatmapStore(settings(server.endpoint(), "no-such-bucket", Duration.ZERO))) {
            assertThatThrownBy(() -> store.put(KEY, PNG)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("s3://no-such-bucket/maps/")
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist")
                    .hasMessageContaining("heatmaps.s3.bucket");
        }
    }

    @Test
    void refusedCredentialsAreNamedAsSuch() {
        credentials("SOMEONE-ELSE", "wrong");
        try (S3HeatmapStore store = new S3HeatmapStore(settings(server.endpoint(), BUCKET, Duration.ZERO))) {
            assertThatThrownBy(() -> store.put(KEY, PNG)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("refused the credentials (InvalidAccessKeyId)")
                    .hasMessageContaining("AWS_ACCESS_KEY_ID");
        }
    }

    @Test
    void anUnreachableEndpointSaysWhereItLooked() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed);
        try (S3HeatmapStore store = new S3HeatmapStore(settings(nowhere, BUCKET, Duration.ZERO))) {
            assertThatThrownBy(() -> store.put(KEY, PNG)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("at " + nowhere)
                    .hasMessageContaining("could not be reached")
                    .hasMessageContaining("heatmaps.s3.endpoint");
        }
    }
}
