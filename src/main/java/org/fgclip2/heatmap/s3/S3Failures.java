package org.fgclip2.heatmap.s3;

import java.io.UncheckedIOException;
import java.io.IOException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns what the SDK throws into a reason an operator can act on: the reason ends up in a dead letter
 * (stage PUBLISH) and in the log, far from the SDK's own stack trace, so it names the bucket, the endpoint, the
 * setting or the credential source to look at.
 */
final class S3Failures {

    private S3Failures() {
    }

    static UncheckedIOException explain(SdkException e, S3HeatmapSettings settings, String key) {
        String where = "s3://" + settings.bucket() + "/" + key + " at "
                + settings.endpoint().map(Object::toString).orElse("AWS S3");
        return new UncheckedIOException(new IOException("heatmap upload to " + where + " failed: " + reason(e, settings)
                + " [" + e.getMessage() + "]", e));
    }

    private static String reason(SdkException e, S3HeatmapSettings settings) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            int status = s3.statusCode();
            if ("NoSuchBucket".equals(code)) {
                return "the bucket '" + settings.bucket() + "' does not exist there; create it (the application"
                        + " never does) or correct heatmaps.s3.bucket / heatmaps.s3.endpoint";
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)
                    || "InvalidToken".equals(code) || "ExpiredToken".equals(code)) {
                return "the server refused the credentials (" + code + "); check what the AWS default credential"
                        + " chain finds: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity or"
                        + " the instance role";
            }
            if (status == 403) {
                return "access denied (" + code + "); the credentials need s3:PutObject (and s3:GetObject for"
                        + " pre-signed URLs) on arn:aws:s3:::" + settings.bucket() + "/" + settings.prefix() + "*";
            }
            if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
                return "the bucket is in another region (" + code + "); set heatmaps.s3.region to the bucket's";
            }
            return "the server answered " + status + (code == null ? "" : " " + code);
        }
        if (e instanceof ApiCallTimeoutException) {
            return "no answer within heatmaps.s3.timeout (" + settings.timeout() + "); is the endpoint reachable"
                    + " and the bucket's region right?";
        }
        if (e instanceof SdkClientException && e.getMessage() != null
                && e.getMessage().contains("Unable to load credentials")) {
            return "no credentials found; provide them through the AWS default credential chain (AWS_ACCESS_KEY_ID"
                    + " and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity / IRSA, or an instance role)";
        }
        return "the endpoint could not be reached or did not answer (" + rootCause(e) + "); check"
                + " heatmaps.s3.endpoint, DNS and the network path to it";
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
