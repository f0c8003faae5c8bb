package org.fgclip2.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.fgclip2.app.config.AppConfig;
import org.fgclip2.avro.DeadLetter;
import org.fgclip2.avro.ImageLabels;
import org.fgclip2.avro.RegionHeatmap;
import org.fgclip2.avro.Stage;
import org.fgclip2.heatmap.s3.S3HeatmapStore;
import org.fgclip2.serialization.ConfluentAvroSerdes;
import org.fgclip2.serialization.registry.InMemorySchemaRegistryClient;
import org.fgclip2.testing.S3rverServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two instances of the labelling topology (two {@link TopologyHarness}es: two models, two stores, two state
 * folders, as two machines would have) write their heatmaps to one S3-compatible server, s3rver started by
 * {@link S3rverServer} (see its javadoc for how), configured through the application's own settings
 * ({@code heatmaps.store=s3}, {@code heatmaps.s3.*}); a consumer that sees neither instance's disk opens every
 * published {@code s3://} reference. A missing bucket costs the heatmap, never the labels.
 */
class S3HeatmapPipelineIT {

    private static final String BUCKET = "shared-heatmaps";

    @TempDir
    static Path data;
    private static S3rverServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3rverServer.start(data, BUCKET);
        System.setProperty("aws.accessKeyId", S3rverServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3rverServer.SECRET_KEY);
    }

    @AfterAll
    static void stopServer() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        server.close();
    }

    private static S3HeatmapStore store(String bucket) {
        AppConfig config = new AppConfig(Map.of("heatmaps.store", "s3", "heatmaps.s3.bucket", bucket,
                "heatmaps.s3.endpoint", server.endpoint().toString(), "heatmaps.s3.region", "us-east-1",
                "heatmaps.s3.path-style", "true"));
        config.validate();
        return new S3HeatmapStore(config.heatmapS3().orElseThrow());
    }

    private static TopologyHarness instance(Path root, String bucket) throws Exception {
        return new TopologyHarness(root, TopologyHarness.settings(Map.of("fetch.threads", "0")),
                new ConfluentAvroSerdes(new InMemorySchemaRegistryClient()), store(bucket));
    }

    @Test
    void twoInstancesPublishS3ReferencesThatAConsumerElsewhereOpens(@TempDir Path one, @TempDir Path two)
            throws Exception {
        List<RegionHeatmap> published = new java.util.ArrayList<>();
        for (var root : List.of(one, two)) {
            try (TopologyHarness instance = instance(root, BUCKET)) {
                instance.defineLabel("default", "cat", 0f, "a cat");
                String id = "img-" + root.getFileName();
                instance.sendImage(id, instance.png("a.png", 48, 32));
                instance.pumpUntil(2);
                assertThat(instance.labels()).extracting(ImageLabels::getImageId).containsExactly(id);
                published.addAll(instance.heatmapRecords());
                assertThat(instance.deadLetters()).isEmpty();
                assertThat(Files.exists(instance.heatmaps)).as("nothing on the instance's own disk").isFalse();
            }
        }
        assertThat(published).hasSize(2);
        try (S3Client consumer = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3rverServer.ACCESS_KEY, S3rverServer.SECRET_KEY)))
                .build()) {
            for (RegionHeatmap heatmap : published) {
                URI uri = URI.create(heatmap.getHeatmapUri());
                assertThat(uri.getScheme()).isEqualTo("s3");
                assertThat(uri.getHost()).isEqualTo(BUCKET);
                byte[] png = consumer.getObjectAsBytes(b -> b.bucket(uri.getHost()).key(uri.getPath().substring(1)))
                        .asByteArray();
                var picture = ImageIO.read(new ByteArrayInputStream(png));
                assertThat(picture).as(uri + " is a PNG").isNotNull();
                assertThat(picture.getWidth()).isEqualTo(48);
            }
        }
    }

    @Test
    void aMissingBucketLosesTheHeatmapNotTheLabels(@TempDir Path root) throws Exception {
        try (TopologyHarness instance = instance(root, "bucket-nobody-made")) {
            instance.defineLabel("default", "cat", 0f, "a cat");
            instance.sendImage("img-1", instance.png("a.png", 32, 32));
            instance.pumpUntil(2);
            assertThat(instance.labels()).extracting(ImageLabels::getImageId).containsExactly("img-1");
            assertThat(instance.heatmapRecords()).isEmpty();
            DeadLetter letter = instance.deadLetters().get(0);
            assertThat(letter.getStage()).isEqualTo(Stage.PUBLISH);
            assertThat(letter.getReason()).contains("heatmap for label 'cat' not published")
                    .contains("bucket 'bucket-nobody-made' does not exist");
        }
    }
}
