package dev.sluice.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.UUID;

/** This process's name in leases (import jobs, webhook deliveries): host plus a per-start UUID. */
@ApplicationScoped
public class InstanceId {
    private final String value = host() + "/" + UUID.randomUUID();

    public String value() {
        return value;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "sluice";
        }
    }
}
