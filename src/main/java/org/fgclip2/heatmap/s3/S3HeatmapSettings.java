package org.fgclip2.heatmap.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and how heatmaps go to S3-compatible object storage. Credentials are not here: they come from the SDK's
 * default provider chain (environment, system properties, web identity / IRSA, profile, container and instance
 * roles), so no secret ever sits in the application's settings.
 *
 * @param endpoint   an S3-compatible server ({@code http(s)://host[:port]}); empty = AWS S3 of the region
 * @param region     the signing region; empty = the SDK's region chain ({@code AWS_REGION}, profile, instance)
 * @param bucket     the bucket, which must exist: the application never creates one
 * @param prefix     put in front of every object key, e.g. {@code heatmaps/}; may be empty
 * @param pathStyle  {@code endpoint/bucket/key} addresses instead of {@code bucket.endpoint/key}, for servers
 *                   without per-bucket host names (MinIO, Ceph and most self-hosted ones)
 * @param presignTtl zero: publish {@code s3://bucket/key}; otherwise an https URL signed for this long
 * @param timeout    longest one upload may take, retries included
 */
public record S3HeatmapSettings(Optional<URI> endpoint, Optional<String> region, String bucket, String prefix,
                                boolean pathStyle, Duration presignTtl, Duration timeout) {

    /** SigV4 refuses longer pre-signed URLs. */
    public static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

    // S3's bucket naming rules, minus the legacy upper-case names that no current region accepts
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9/!_.*'()-]*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    public S3HeatmapSettings {
        endpoint.ifPresent(S3HeatmapSettings::checkEndpoint);
        region.ifPresent(S3HeatmapSettings::checkRegion);
        checkBucket(bucket);
        checkPrefix(prefix);
        checkPresignTtl(presignTtl);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("upload timeout must be longer than 0, got " + timeout);
        }
    }

    /** @throws IllegalArgumentException unless {@code http(s)://host[:port]} */
    public static URI checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme();
        String path = endpoint.getRawPath();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null
                || endpoint.getRawQuery() != null || path != null && path.length() > 1) {
            throw new IllegalArgumentException("must be http(s)://host[:port] with no path, got '" + endpoint + "'");
        }
        return endpoint;
    }

    /** @throws IllegalArgumentException unless a region code such as {@code eu-west-1} */
    public static String checkRegion(String region) {
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("must be a region code such as eu-west-1, got '" + region + "'");
        }
        return region;
    }

    /** @throws IllegalArgumentException unless a valid bucket name */
    public static String checkBucket(String bucket) {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("must be an S3 bucket name (3-63 of a-z 0-9 . -, starting and ending"
                    + " with a letter or digit), got '" + bucket + "'");
        }
        return bucket;
    }

    /** @throws IllegalArgumentException unless S3's safe key characters, not starting with '/' */
    public static String checkPrefix(String prefix) {
        if (!PREFIX.matcher(prefix).matches() || prefix.startsWith("/")) {
            throw new IllegalArgumentException("must be S3's safe key characters (A-Z a-z 0-9 / ! - _ . * ' ( )),"
                    + " not starting with '/' (S3 would keep an empty first folder), got '" + prefix + "'");
        }
        return prefix;
    }

    /** @throws IllegalArgumentException unless in [0, 7 days] */
    public static Duration checkPresignTtl(Duration ttl) {
        if (ttl.isNegative() || ttl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new IllegalArgumentException("must lie between 0s (no pre-signing) and 168h, the most S3"
                    + " signatures allow, got " + ttl);
        }
        return ttl;
    }

    /** Whether heatmap references are pre-signed https URLs rather than {@code s3://} URIs. */
    public boolean presigns() {
        return !presignTtl.isZero();
    }
}
