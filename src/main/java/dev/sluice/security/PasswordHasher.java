package dev.sluice.security;

import dev.sluice.common.Workers;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** bcrypt, always on the worker pool: one hash costs tens of milliseconds of CPU. */
@ApplicationScoped
public class PasswordHasher {
    private final Workers workers;
    private final int cost;
    /** Checked when the email is unknown, so that a miss takes as long as a wrong password. */
    private final String decoy;

    public PasswordHasher(Workers workers, PasswordConfig config) {
        this.workers = workers;
        this.cost = config.bcryptCost();
        this.decoy = BcryptUtil.bcryptHash("decoy-password-" + System.nanoTime(), cost);
    }

    public Uni<String> hash(String password) {
        return workers.call(() -> BcryptUtil.bcryptHash(password, cost));
    }

    /** Compares against the decoy when {@code hash} is null. */
    public Uni<Boolean> matches(String password, String hash) {
        return workers.call(() -> {
            boolean ok = BcryptUtil.matches(password, hash == null ? decoy : hash);
            return ok && hash != null;
        });
    }

    public String hashNow(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }
}
