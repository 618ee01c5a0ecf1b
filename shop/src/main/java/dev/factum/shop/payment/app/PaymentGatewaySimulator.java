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
 * and waits a configurable latency on every call, so that the order saga meets declines and slowness; as a <b>fault
 * injection</b> it can also fail a configurable share of refunds with a technical error
 * ({@link RefundFailedException}), so that a saga's compensation keeps failing and parks.
 *
 * <p>Deterministic: whether a charge is declined, and its charge id, depend only on the seed and the idempotency key
 * (not on the order of calls or the thread), so a test with a fixed seed sees the same outcomes every run; whether a
 * refund fails depends only on the seed, the charge id and how many refunds of it this simulator was asked for.
 * Idempotent as {@link PaymentGateway} requires: a key is answered once and the same answer is kept; a refund is
 * counted once. Remembers its answers in memory, for the life of the object — but a charge id carries a check digit
 * group derived from the seed, so a simulator with the same seed (the shop started again) recognises the charges an
 * earlier one made and refunds them, as a real provider remembers its charges across the shop's restarts. Thread-safe.
 *
 * @since 0.1
 */
public final class PaymentGatewaySimulator implements PaymentGateway {
    /** The reason every simulated decline gives. */
    public static final String DECLINE_REASON = "card declined (simulated)";
    private static final String CHARGE_PREFIX = "sim_ch_";

    private final double declineRate;
    private final double refundFailureRate;
    private final Duration latency;
    private final long seed;
    private final Sleeper sleeper;
    private final Map<String, GatewayReply> replies = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> charges = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refunds = new ConcurrentHashMap<>();
    private final Map<String, Integer> refundCalls = new ConcurrentHashMap<>();

    /**
     * A simulator that declines about {@code declineRate} of the charges (0 never, 1 always), fails about
     * {@code refundFailureRate} of the refund calls with {@link RefundFailedException} (0 never, 1 always; a fault
     * injection) and waits {@code latency} with {@code sleeper} on every call.
     *
     * @throws IllegalArgumentException if a rate is not within 0..1 or {@code latency} is negative
     */
    public PaymentGatewaySimulator(double declineRate, double refundFailureRate, Duration latency, long seed,
                                   Sleeper sleeper) {
        if (!(declineRate >= 0 && declineRate <= 1)) {
            throw new IllegalArgumentException("declineRate must be from 0 to 1, was " + declineRate);
        }
        if (!(refundFailureRate >= 0 && refundFailureRate <= 1)) {
            throw new IllegalArgumentException("refundFailureRate must be from 0 to 1, was " + refundFailureRate);
        }
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) throw new IllegalArgumentException("latency must not be negative, was " + latency);
        this.declineRate = declineRate;
        this.refundFailureRate = refundFailureRate;
        this.latency = latency;
        this.seed = seed;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** A simulator whose refunds never fail. */
    public PaymentGatewaySimulator(double declineRate, Duration latency, long seed, Sleeper sleeper) {
        this(declineRate, 0, latency, seed, sleeper);
    }

    /** A simulator that sleeps the calling thread for {@code latency}. */
    public PaymentGatewaySimulator(double declineRate, double refundFailureRate, Duration latency, long seed) {
        this(declineRate, refundFailureRate, latency, seed, duration -> Thread.sleep(duration));
    }

    /** A simulator whose refunds never fail, sleeping the calling thread for {@code latency}. */
    public PaymentGatewaySimulator(double declineRate, Duration latency, long seed) {
        this(declineRate, 0, latency, seed);
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
            String chargeId = chargeId(random.nextLong());
            charges.put(chargeId, amount);
            return new Approved(chargeId);
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws RefundFailedException    for about {@code refundFailureRate} of the calls (the injected fault); nothing
     *                                  is refunded, and a later call may succeed
     * @throws IllegalArgumentException if no simulator with this seed made the charge
     */
    @Override
    public void refund(String chargeId) {
        Objects.requireNonNull(chargeId, "chargeId");
        pause();
        if (!charges.containsKey(chargeId) && !madeWithThisSeed(chargeId)) {
            throw new IllegalArgumentException("the simulated gateway made no charge " + chargeId);
        }
        if (refundFailureRate > 0) {
            int call = refundCalls.merge(chargeId, 1, Integer::sum);
            SplittableRandom random = new SplittableRandom(seed ^ mix(chargeId) ^ (call * 0x9E3779B97F4A7C15L));
            if (random.nextDouble() < refundFailureRate) {
                throw new RefundFailedException("refund of " + chargeId + " failed: simulated gateway fault (refund "
                        + "failure rate " + refundFailureRate + ", --payment-refund-failure-rate)");
            }
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

    /** The charge id of the random number {@code value}: the number and a check derived from it and the seed. */
    private String chargeId(long value) {
        return CHARGE_PREFIX + HexFormat.of().toHexDigits(value) + HexFormat.of().toHexDigits((int) check(value));
    }

    /** Whether {@code chargeId} is one a simulator with this seed issues (its check matches). */
    private boolean madeWithThisSeed(String chargeId) {
        if (!chargeId.startsWith(CHARGE_PREFIX) || chargeId.length() != CHARGE_PREFIX.length() + 24) return false;
        try {
            long value = HexFormat.fromHexDigitsToLong(chargeId, CHARGE_PREFIX.length(), CHARGE_PREFIX.length() + 16);
            return chargeId.equals(chargeId(value));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private long check(long value) {
        return mix(Long.toHexString(value ^ seed) + ":" + seed);
    }

    /**
     * The injected refund fault of {@link PaymentGatewaySimulator}: a technical error, not a business refusal — trying
     * again later may succeed.
     *
     * @since 0.1
     */
    public static final class RefundFailedException extends IllegalStateException {
        public RefundFailedException(String message) {
            super(message);
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
