package dev.sluice.auth.otp;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class OtpCodeRepository implements PanacheRepositoryBase<OtpCode, String> {

    /**
     * The row of an email, created if missing, locked until the transaction ends: concurrent requests
     * and verifications for one address take turns, so the cooldown, cap and attempt count can't be raced.
     */
    public Uni<OtpCode> lockFor(String email) {
        return Panache.getSession()
                .flatMap(
                        s -> s.createNativeQuery("insert into otp_codes (email) values (:email) on conflict do nothing")
                                .setParameter("email", email)
                                .executeUpdate())
                .flatMap(x -> findById(email, LockModeType.PESSIMISTIC_WRITE));
    }
}
