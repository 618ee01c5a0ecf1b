// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.app;

import dev.factum.retry.Sleeper;
import dev.factum.shop.payment.domain.GatewayReply;
import dev.factum.shop.payment.domain.GatewayReply.Approved;
import dev.factum.shop.payment.domain.GatewayReply.Declined;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A SIMULATED payment gateway — no money moves, no provider is called. It declines a configurable share of charges
 * and waits a configurable latency on every call, so that the order saga meets declines and slowness.
 *
 * <p>Deterministic: whether a charge is declined, and its charge id, depend only on the seed and the idempotency key
 * (not on the order of calls or the thread), so a test with a fixed seed sees the same outcomes every run. Idempotent as
 * {@link PaymentGateway} requires: a key is answered once and the same answer is kept; a refund is counted once.
 * Remembers everything in memory, for the life of the object. Thread-safe.
 *
 * @since 0.1
 */
public final class PaymentGatewaySimulator implements PaymentGateway {
    /** The reason every simulated decline gives. */
    public static final String DECLINE_REASON = "card declined (simulated)";

    private final double declineRate;
    private final Duration latency;
    private final long seed;
    private final Sleeper sleeper;
    private final Map<String, GatewayReply> replies = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> charges = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refunds = new ConcurrentHashMap<>();

    /**
     * A simulator that declines about {@code declineRate} of the charges (0 never, 1 always) and waits {@code latency}
     * with {@code sleeper} on every call.
     *
     * @throws IllegalArgumentException if {@code declineRate} is not within 0..1 or {@code latency} is negative
     */
    public PaymentGatewaySimulator(double declineRate, Duration latency, long seed, Sleeper sleeper) {
        if (!(declineRate >= 0 && declineRate <= 1)) {
            throw new IllegalArgumentException("declineRate must be from 0 to 1, was " + declineRate);
        }
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) throw new IllegalArgumentException("latency must not be negative, was " + latency);
        this.declineRate = declineRate;
        this.latency = latency;
        this.seed = seed;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** A simulator that sleeps the calling thread for {@code latency}. */
    public PaymentGatewaySimulator(double declineRate, Duration latency, long seed) {
        this(declineRate, latency, seed, duration -> Thread.sleep(duration));
    }

    @Override
    public GatewayReply charge(String idempotencyKey, BigDecimal amount, String currency) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        pause();
        return replies.computeIfAbsent(idempotencyKey, key -> {
            SplittableRandom random = new SplittableRandom(seed ^ mix(key));
            if (random.nextDouble() < declineRate) return new Declined(DECLINE_REASON);
            String chargeId = "sim_ch_" + HexFormat.of().toHexDigits(random.nextLong());
            charges.put(chargeId, amount);
            return new Approved(chargeId);
        });
    }

    @Override
    public void refund(String chargeId) {
        Objects.requireNonNull(chargeId, "chargeId");
        pause();
        if (!charges.containsKey(chargeId)) {
            throw new IllegalArgumentException("the simulated gateway made no charge " + chargeId);
        }
        refunds.putIfAbsent(chargeId, true);
    }

    /** How many charges were approved (each idempotency key counted once). */
    public int approvedCharges() {
        return charges.size();
    }

    /** Whether the charge {@code chargeId} was refunded. */
    public boolean refunded(String chargeId) {
        return refunds.containsKey(chargeId);
    }

    /** How many charges were refunded (each once). */
    public int refundedCharges() {
        return refunds.size();
    }

    private void pause() {
        if (latency.isZero()) return;
        try {
            sleeper.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the simulated gateway latency", e);
        }
    }

    /** A well-spread 64-bit hash of {@code key} (String.hashCode has only 32 bits). */
    private static long mix(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
