package dev.sluice.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals short secrets with AES-256-GCM under a key-encryption key, for storing them at rest. A sealed
 * value is {@code enc:v1:<kid>:<base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag)>}: it names the key
 * that sealed it, so a rotation can keep the previous keys for opening while the current one seals,
 * and re-seal values one by one. The caller's {@code context} (a row id) is authenticated with the
 * value, so a sealed value copied onto another row does not open. A value without the {@code enc:}
 * prefix is a plaintext one stored before encryption existed: {@link #open} returns it as it is and
 * {@link #needsReseal} says so. Cheap (a few microseconds per value): fine on the event loop for the
 * one or two values a request touches.
 */
public final class SecretBox {
    static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKid;
    private final Map<String, SecretKey> keys;

    /** A sealed value that can't be opened: unknown key id, wrong key, or tampered with. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** {@code current} and {@code previous} in the {@code kid:base64} form of {@link SecretsConfig}. */
    public SecretBox(String current, List<String> previous) {
        Map<String, SecretKey> ring = new LinkedHashMap<>();
        String[] c = parse(current, "APP_SECRETS_KEY");
        this.currentKid = c[0];
        ring.put(c[0], key(c));
        for (String p : previous) {
            if (p == null || p.isBlank()) continue;
            String[] k = parse(p.strip(), "APP_SECRETS_PREVIOUS_KEYS");
            // The current key wins if an old entry reuses its id.
            ring.putIfAbsent(k[0], key(k));
        }
        this.keys = Map.copyOf(ring);
    }

    public String currentKid() {
        return currentKid;
    }

    public Set<String> kids() {
        return keys.keySet();
    }

    /** Seals {@code plain} under the current key, bound to {@code context}. */
    public String seal(String plain, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKid), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + currentKid + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext of a stored value (a legacy plaintext value as it is); {@link Unreadable} if it can't be opened. */
    public String open(String stored, String context) {
        if (stored == null || !isSealed(stored)) return stored;
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 1) throw new Unreadable("malformed sealed value");
        String kid = rest.substring(0, colon);
        SecretKey key = keys.get(kid);
        if (key == null)
            throw new Unreadable("sealed under key id '" + kid + "', which is neither APP_SECRETS_KEY nor in"
                    + " APP_SECRETS_PREVIOUS_KEYS");
        try {
            byte[] in = Base64.getDecoder().decode(rest.substring(colon + 1));
            if (in.length < NONCE_BYTES + TAG_BITS / 8) throw new Unreadable("malformed sealed value");
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(aad(context));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // AEADBadTagException: another key under the same id, another row, or altered bytes.
            throw new Unreadable("sealed under key id '" + kid + "' but that key does not open it ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Whether a stored value is plaintext or sealed under a key other than the current one. */
    public boolean needsReseal(String stored) {
        return stored != null && !(isSealed(stored) && stored.startsWith(PREFIX + currentKid + ":"));
    }

    public static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    private static byte[] aad(String context) {
        return context.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] parse(String spec, String setting) {
        int colon = spec == null ? -1 : spec.indexOf(':');
        if (colon < 1)
            throw new IllegalArgumentException(
                    setting + " must be <key id>:<base64 of 32 bytes>, e.g." + " 2026-07:$(openssl rand -base64 32)");
        String kid = spec.substring(0, colon).strip();
        if (!kid.matches("[A-Za-z0-9._-]{1,64}"))
            throw new IllegalArgumentException(
                    setting + ": the key id may hold only letters, digits, '.', '_' and '-'");
        return new String[] {kid, spec.substring(colon + 1).strip(), setting};
    }

    private static SecretKey key(String[] parsed) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(parsed[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(parsed[2] + ": key '" + parsed[0] + "' is not valid base64");
        }
        if (bytes.length != 32)
            throw new IllegalArgumentException(
                    parsed[2] + ": key '" + parsed[0] + "' must be 32 bytes (AES-256), not " + bytes.length);
        return new SecretKeySpec(bytes, "AES");
    }
}
