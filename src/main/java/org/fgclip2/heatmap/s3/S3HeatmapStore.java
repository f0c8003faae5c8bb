package org.fgclip2.heatmap.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import org.fgclip2.heatmap.HeatmapKey;
import org.fgclip2.heatmap.HeatmapNames;
import org.fgclip2.heatmap.HeatmapStore;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * Heatmaps as objects in an S3 bucket, {@code <prefix><image>/<label set>/<label>.png} (names as
 * {@link HeatmapNames}), so that every instance, on any machine, publishes references any consumer can open.
 * Returns {@code s3://bucket/key}, or a pre-signed https GET URL when {@link S3HeatmapSettings#presigns()}.
 *
 * <p>A PUT replaces the object whole: S3 never shows a half-written one, as the interface asks. The body goes
 * as one plain, signed payload: no aws-chunked encoding (which the SDK uses for uploads over plain http) and
 * integrity checksums only where an operation requires them (the SDK's newer default adds a CRC trailer in an
 * aws-chunked body to every upload). Servers that do not speak aws-chunked store its framing as the object's
 * content (s3rver does, as the integration test found); a heatmap is small enough to sign whole, and the
 * signature covers its bytes. Thread-safe: the SDK clients are.
 */
public final class S3HeatmapStore implements HeatmapStore {

    private static final String PNG = "image/png";

    private final S3HeatmapSettings settings;
    private final S3Client client;
    private final S3Presigner presigner;

    /**
     * Builds the clients; contacts nothing (the first upload does).
     *
     * @throws IllegalArgumentException when no region is set and the SDK's region chain finds none
     */
    public S3HeatmapStore(S3HeatmapSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Region region = region(settings);
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        S3Configuration addressing = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
                .chunkedEncodingEnabled(false).build();
        var clientBuilder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(addressing)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.timeout())
                        .socketTimeout(settings.timeout()))
                .overrideConfiguration(o -> o.apiCallTimeout(settings.timeout()));
        var presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(addressing);
        settings.endpoint().ifPresent(endpoint -> {
            clientBuilder.endpointOverride(endpoint);
            presignerBuilder.endpointOverride(endpoint);
        });
        this.client = clientBuilder.build();
        this.presigner = presignerBuilder.build();
    }

    private static Region region(S3HeatmapSettings settings) {
        if (settings.region().isPresent()) {
            return Region.of(settings.region().get());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            throw new IllegalArgumentException("no region for the heatmap bucket: set heatmaps.s3.region (or"
                    + " AWS_REGION); an S3-compatible server that ignores regions takes any, e.g. us-east-1", e);
        }
    }

    @Override
    public URI put(HeatmapKey key, byte[] png) {
        Objects.requireNonNull(png, "png");
        String objectKey = settings.prefix() + HeatmapNames.relativePath(key);
        try {
            client.putObject(PutObjectRequest.builder().bucket(settings.bucket()).key(objectKey).contentType(PNG)
                    .build(), RequestBody.fromBytes(png));
            return settings.presigns() ? presigned(objectKey) : URI.create("s3://" + settings.bucket() + "/" + objectKey);
        } catch (SdkException e) {
            throw S3Failures.explain(e, settings, objectKey);
        }
    }

    private URI presigned(String objectKey) {
        var request = GetObjectPresignRequest.builder()
                .signatureDuration(settings.presignTtl())
                .getObjectRequest(GetObjectRequest.builder().bucket(settings.bucket()).key(objectKey).build())
                .build();
        try {
            return presigner.presignGetObject(request).url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK signed a URL that is not a URI: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        presigner.close();
        client.close();
    }
}
