package dev.sluice.auth;

import dev.sluice.common.UuidV7;
import dev.sluice.security.PasswordHasher;
import dev.sluice.security.Roles;
import dev.sluice.user.User;
import dev.sluice.user.UserReads;
import dev.sluice.user.UserRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.jboss.logging.Logger;

/** Creates the first ADMIN from APP_ADMIN_EMAIL / APP_ADMIN_PASSWORD when no user exists yet. */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    void onStart(
            @Observes StartupEvent ev, UserReads reads, UserRepository users, PasswordHasher hasher, AuthConfig config)
            throws Throwable {
        if (VertxContextSupport.subscribeAndAwait(reads::anyUser)) return;
        String email = config.admin().email().filter(s -> !s.isBlank()).orElse(null);
        String password = config.admin().password().filter(s -> !s.isBlank()).orElse(null);
        if (email == null || password == null) {
            throw new IllegalStateException(
                    "No user exists yet: set APP_ADMIN_EMAIL and APP_ADMIN_PASSWORD to create the first ADMIN");
        }
        User admin = new User();
        admin.id = UuidV7.next();
        admin.email = email.strip();
        admin.passwordHash = hasher.hashNow(password); // start-up thread, not an event loop
        admin.roleSet(Set.of(Roles.ADMIN));
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> users.persist(admin)));
            LOG.infof("Created the first ADMIN %s (from APP_ADMIN_EMAIL / APP_ADMIN_PASSWORD)", admin.email);
        } catch (Exception e) {
            // Another replica starting at the same moment won the race; its admin is as good as ours.
            LOG.infof("First ADMIN not created here (%s); another instance probably did", e.getMessage());
        }
    }
}
