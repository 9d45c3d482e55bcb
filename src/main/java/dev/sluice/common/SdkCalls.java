package dev.sluice.common;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * AWS SDK futures complete on the SDK's own threads. Reactive Hibernate (and anything else bound
 * to a Vert.x context) must continue on the caller's context, so results are handed back to it.
 */
public final class SdkCalls {
    private SdkCalls() {}

    public static <T> Uni<T> call(Supplier<? extends CompletionStage<? extends T>> call) {
        return Uni.createFrom().deferred(() -> {
            Context ctx = Vertx.currentContext();
            Uni<T> uni = Uni.createFrom().completionStage(call).map(t -> (T) t);
            return ctx == null ? uni : uni.emitOn(task -> ctx.runOnContext(ignored -> task.run()));
        });
    }
}
