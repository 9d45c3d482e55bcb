package dev.sluice.upload.s3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 in a header ({@code Authorization}), for requests without a query string
 * whose payload is given by its SHA-256. Enough for the bucket check: signing one HEAD by hand costs
 * a few JDK classes, where the SDK's first request loads its whole pipeline (some 1,800 classes).
 * Pure: no clock, no I/O.
 */
public final class SigV4 {
    /** SHA-256 of the empty payload, hex: a HEAD's {@code x-amz-content-sha256}. */
    public static final String EMPTY_PAYLOAD_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    /** The key pair, and the session token that comes with temporary credentials. */
    public record Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        @Override
        public String toString() { // never the secret or the token in a log line
            return "Credentials[" + accessKeyId + "]";
        }
    }

    /** What was signed and how: {@code headers} are the ones to send (Authorization included). */
    public record Signed(String canonicalRequest, String stringToSign, Map<String, String> headers) {}

    private final Credentials credentials;
    private final String region;
    private final String service;

    public SigV4(Credentials credentials, String region, String service) {
        this.credentials = credentials;
        this.region = region;
        this.service = service;
    }

    public String region() {
        return region;
    }

    /**
     * Signs {@code method canonicalUri} (already URI-encoded, see {@link #encodePath}) with {@code
     * headers} (Host among them) at {@code at}; adds {@code x-amz-date}, {@code x-amz-content-sha256}
     * and, with a session token, {@code x-amz-security-token}, all of them signed.
     */
    public Signed sign(
            String method, String canonicalUri, Map<String, String> headers, String payloadSha256, Instant at) {
        String dateTime = DATE_TIME.format(at);
        String date = dateTime.substring(0, 8);
        SortedMap<String, String> canonical = new TreeMap<>();
        headers.forEach((name, value) -> canonical.put(name.toLowerCase(Locale.ROOT), normalize(value)));
        canonical.put("x-amz-date", dateTime);
        canonical.put("x-amz-content-sha256", payloadSha256);
        credentials.sessionToken().ifPresent(token -> canonical.put("x-amz-security-token", token));

        String signedHeaders = String.join(";", canonical.keySet());
        String canonicalRequest = method + "\n" + canonicalUri + "\n" + "\n" // no query string
                + canonical.entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue() + "\n")
                        .collect(Collectors.joining())
                + "\n" + signedHeaders + "\n" + payloadSha256;
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + dateTime + "\n" + scope + "\n" + sha256Hex(canonicalRequest);

        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, stringToSign));

        Map<String, String> out = new LinkedHashMap<>(canonical);
        out.put(
                "authorization",
                ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope + ",SignedHeaders=" + signedHeaders
                        + ",Signature=" + signature);
        return new Signed(canonicalRequest, stringToSign, out);
    }

    /**
     * A path as S3 expects it in the canonical request and on the wire: each segment
     * percent-encoded except RFC 3986's unreserved characters, slashes kept (S3 does not encode twice).
     */
    public static String encodePath(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (byte c : path.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX.withUpperCase().toHexDigits(c));
            }
        }
        return b.toString();
    }

    public static String sha256Hex(String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Trimmed, inner runs of spaces as one (the canonical form of a header value). */
    private static String normalize(String value) {
        return value.trim().replaceAll(" +", " ");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
