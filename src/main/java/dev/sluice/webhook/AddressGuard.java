package dev.sluice.webhook;

import dev.sluice.common.Workers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SSRF guard: a webhook may only reach public addresses, or those inside the configured
 * allow-list. Checked when an endpoint is saved and again before every send, on the addresses the
 * host resolves to then; the sender connects to the address checked here, never re-resolving.
 */
@ApplicationScoped
public class AddressGuard {
    /** Non-public ranges beyond what {@link InetAddress}'s predicates cover. */
    private static final List<Cidr> RESERVED = Cidr.parseAll(List.of(
            "0.0.0.0/8",
            "100.64.0.0/10",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "240.0.0.0/4",
            "255.255.255.255/32",
            "::/128",
            "100::/64",
            "2001:db8::/32",
            "fc00::/7",
            "64:ff9b:1::/48"));

    private final List<Cidr> allowed;
    private final Workers workers;

    public AddressGuard(WebhooksConfig config, Workers workers) {
        this.allowed = Cidr.parseAll(config.allowedNetworks().orElse(List.of()));
        this.workers = workers;
    }

    /** A URL that may be called, with the address to connect to. */
    public record Target(URI uri, InetAddress address) {}

    /** Why a URL may not be called; the message is safe to show to an admin. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks the URL's form, resolves its host (a blocking call, so on a worker) and checks every address. */
    public Uni<Target> check(String url) {
        URI uri;
        try {
            uri = checkForm(url);
        } catch (Refused e) {
            return Uni.createFrom().failure(e);
        }
        return workers.call(() -> resolve(uri));
    }

    static URI checkForm(String url) {
        URI uri;
        try {
            uri = new URI(url).parseServerAuthority();
        } catch (Exception e) {
            throw new Refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw new Refused("must use http or https");
        if (uri.getHost() == null || uri.getHost().isBlank()) throw new Refused("has no host");
        if (uri.getRawUserInfo() != null) throw new Refused("must not carry credentials");
        if (uri.getRawFragment() != null) throw new Refused("must not have a fragment");
        return uri;
    }

    private Target resolve(URI uri) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("host " + uri.getHost() + " does not resolve");
        }
        // Every address must pass: a name resolving to one public and one private address is refused,
        // or a receiver's DNS could steer some sends inside.
        for (InetAddress a : addresses) {
            String why = whyForbidden(a);
            if (why != null) {
                throw new Refused(
                        "resolves to " + a.getHostAddress() + " (" + why + " address), which webhooks may not reach");
            }
        }
        return new Target(uri, addresses[0]);
    }

    /** Null when the address may be called; else what kind of address it is. */
    String whyForbidden(InetAddress a) {
        for (Cidr c : allowed) if (c.contains(a)) return null;
        InetAddress v4 = Cidr.embeddedV4(a);
        if (v4 != null) return whyForbidden(v4);
        if (a.isLoopbackAddress()) return "loopback";
        if (a.isAnyLocalAddress()) return "unspecified";
        if (a.isLinkLocalAddress()) return "link-local";
        if (a.isSiteLocalAddress()) return "private";
        if (a.isMulticastAddress()) return "multicast";
        for (Cidr c : RESERVED) if (c.contains(a)) return c.toString().startsWith("fc00") ? "private" : "reserved";
        return null;
    }

    /** An address range, IPv4 or IPv6. */
    record Cidr(byte[] network, int prefix, String text) {
        static List<Cidr> parseAll(List<String> specs) {
            return specs.stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(Cidr::parse)
                    .toList();
        }

        static Cidr parse(String spec) {
            int slash = spec.indexOf('/');
            String host = slash < 0 ? spec : spec.substring(0, slash);
            if (!host.matches("[0-9a-fA-F:.]+")) throw new IllegalArgumentException("Not an IP range: " + spec);
            try {
                byte[] bytes = InetAddress.getByName(host).getAddress(); // a literal: no lookup
                int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(spec.substring(slash + 1));
                if (prefix < 0 || prefix > bytes.length * 8)
                    throw new IllegalArgumentException("Bad prefix in " + spec);
                return new Cidr(bytes, prefix, spec);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("Not an IP range: " + spec, e);
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) return false;
            int bits = b.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .shiftRight(prefix)
                    .not()
                    .and(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, b).and(mask).equals(new BigInteger(1, network).and(mask));
        }

        /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), NAT64 or 6to4 IPv6 address. */
        static InetAddress embeddedV4(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != 16) return null;
            boolean mapped = true;
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b;
            for (int i = 4; nat64 && i < 12; i++) nat64 = b[i] == 0;
            try {
                if (mapped || nat64) return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
                if (b[0] == 0x20 && b[1] == 0x02) return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            } catch (UnknownHostException e) {
                return null;
            }
            return null;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
