package dev.sluice.auth;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The RSA keys access tokens are signed and verified with. The current pair (JWT_PRIVATE_KEY_LOCATION,
 * JWT_PUBLIC_KEY_LOCATION) signs; its public key and those in JWT_ACCEPTED_PUBLIC_KEY_LOCATIONS
 * (previous keys until their last token has expired, the next key while a rotation rolls out) verify.
 * Each key's id is its RFC 7638 thumbprint, so every replica derives the same {@code kid} from the same
 * file with nothing else to configure. Read once at start-up (files or classpath), never on a request.
 */
@Startup
@ApplicationScoped
public class JwtKeys {
    /** One verification key with its id. */
    public record Key(String kid, RSAPublicKey publicKey) {}

    private final Key current;
    private final Map<String, Key> accepted;

    public JwtKeys(
            AuthConfig config,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> publicKey,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> publicKeyLocation,
            @ConfigProperty(name = "smallrye.jwt.sign.key") Optional<String> privateKey,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> privateKeyLocation) {
        // A location wins over inline PEM (Quarkus may give the inline property a placeholder value).
        Optional<String> inlinePublic = publicKey.filter(JwtKeys::isPem);
        RSAPublicKey pub = publicKeyLocation.filter(l -> !l.isBlank()).isPresent()
                ? read(publicKeyLocation.get(), "JWT_PUBLIC_KEY_LOCATION")
                : decode(
                        inlinePublic.orElseThrow(() -> new IllegalStateException(
                                "No JWT public key: set JWT_PUBLIC_KEY_LOCATION (a PEM file)")),
                        "MP_JWT_VERIFY_PUBLICKEY");
        this.current = new Key(thumbprint(pub), pub);
        if (privateKeyLocation.filter(l -> !l.isBlank()).isPresent()) checkPair(privateKeyLocation.get(), false, pub);
        else privateKey.filter(JwtKeys::isPem).ifPresent(k -> checkPair(k, true, pub));
        Map<String, Key> keys = new LinkedHashMap<>();
        keys.put(current.kid(), current);
        for (String location : config.jwtAcceptedPublicKeys().orElse(List.of())) {
            if (location.isBlank()) continue;
            RSAPublicKey k = read(location.strip(), "JWT_ACCEPTED_PUBLIC_KEY_LOCATIONS");
            keys.putIfAbsent(thumbprint(k), new Key(thumbprint(k), k));
        }
        this.accepted = Map.copyOf(keys);
    }

    /**
     * Signs the claims with the current key and names it ({@code kid}): every token Sluice issues goes
     * through here, so each replica verifies it against the right one of its accepted keys after a
     * rotation, not only against its own current one.
     */
    public String sign(JwtClaimsBuilder claims) {
        return claims.jws()
                .keyId(current.kid())
                .algorithm(SignatureAlgorithm.RS256)
                .sign();
    }

    /** The {@code kid} new tokens carry. */
    public String currentKid() {
        return current.kid();
    }

    public PublicKey currentKey() {
        return current.publicKey();
    }

    /** The accepted key with this id, or null. */
    public PublicKey forKid(String kid) {
        Key k = accepted.get(kid);
        return k == null ? null : k.publicKey();
    }

    /** Every accepted key, the current one first. */
    public List<Key> accepted() {
        List<Key> out = new ArrayList<>();
        out.add(current);
        accepted.values().stream().filter(k -> k != current).forEach(out::add);
        return out;
    }

    /** RFC 7638: base64url(SHA-256 of {"e":…,"kty":"RSA","n":…}), members in that order, no spaces. */
    static String thumbprint(RSAPublicKey key) {
        String json = "{\"e\":\"" + b64(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\"" + b64(key.getModulus())
                + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned big-endian integer, base64url without padding (RFC 7518 §6.3). */
    static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A key file: a path, {@code file:} URL or classpath resource ({@code classpath:} or a relative name found there). */
    static String content(String location) throws IOException {
        String name = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
        Path file = Path.of(name.startsWith("file:") ? name.substring("file:".length()) : name);
        if (!location.startsWith("classpath:") && Files.isRegularFile(file)) return Files.readString(file);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader.getResourceAsStream(name.startsWith("/") ? name.substring(1) : name)) {
            if (in == null) throw new IOException("no such file or classpath resource");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static boolean isPem(String value) {
        return value.contains("-----BEGIN") || value.strip().length() > 100;
    }

    private static RSAPublicKey read(String location, String setting) {
        try {
            return rsa(KeyUtils.decodePublicKey(content(location)), setting + " " + location);
        } catch (Exception e) {
            throw new IllegalStateException(
                    setting + ": can't read an RSA public key (PEM) from " + location + ": " + e.getMessage(), e);
        }
    }

    private static RSAPublicKey decode(String pem, String setting) {
        try {
            return rsa(KeyUtils.decodePublicKey(pem), setting);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(setting + ": not an RSA public key (PEM): " + e.getMessage(), e);
        }
    }

    private static RSAPublicKey rsa(PublicKey key, String what) {
        if (key instanceof RSAPublicKey r) return r;
        throw new IllegalStateException(what + " is not an RSA key (tokens are RS256)");
    }

    /** A private key that doesn't belong to the public key would sign tokens no replica accepts: refuse to start. */
    private static void checkPair(String keyOrLocation, boolean inline, RSAPublicKey pub) {
        PrivateKey key;
        try {
            key = KeyUtils.decodePrivateKey(inline ? keyOrLocation : content(keyOrLocation));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "JWT_PRIVATE_KEY_LOCATION: can't read an RSA private key (PEM): " + e.getMessage(), e);
        }
        if (key instanceof RSAPrivateCrtKey crt
                && !(crt.getModulus().equals(pub.getModulus())
                        && crt.getPublicExponent().equals(pub.getPublicExponent())))
            throw new IllegalStateException("JWT_PRIVATE_KEY_LOCATION and JWT_PUBLIC_KEY_LOCATION are not one key pair:"
                    + " tokens signed with this private key would be refused. During a rotation both must be the new"
                    + " pair (the old public key goes to JWT_ACCEPTED_PUBLIC_KEY_LOCATIONS).");
    }
}
