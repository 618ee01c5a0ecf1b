// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.internal;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends batches of records and waits for the cluster's acknowledgement of every one: send all, flush, then wait on
 * every future. One batch at a time. After any failure the producer instance is closed at once (its unsent batches
 * aborted) and a new one is created for the next batch, so nothing of a failed batch is sent behind the caller's
 * back later and a sequence or epoch left unresolvable by the failure cannot affect the next batch. Not an API.
 */
public final class ConfirmingProducer implements AutoCloseable {
    private final Properties settings;
    private final Duration deliveryTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private KafkaProducer<byte[], byte[]> producer;
    private long created;
    private boolean closed;

    public ConfirmingProducer(Properties settings, Duration deliveryTimeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deliveryTimeout = Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    }

    /** Why a batch was not acknowledged: {@code tooLarge} is the index of a record refused for its size, or -1. */
    public static final class SendFailure extends Exception {
        private final int tooLarge;

        SendFailure(String message, int tooLarge, Throwable cause) {
            super(message, cause);
            this.tooLarge = tooLarge;
        }

        /** The index of a record the cluster or the client refuses for its size, or -1. */
        public int tooLarge() {
            return tooLarge;
        }
    }

    /**
     * Sends {@code records} and returns once each is acknowledged.
     *
     * @throws SendFailure if any record is not acknowledged within the delivery timeout, or is refused
     */
    public void sendAll(List<ProducerRecord<byte[], byte[]>> records) throws SendFailure {
        lock.lock();
        try {
            if (closed) throw new SendFailure("the transport is closed", -1, null);
            KafkaProducer<byte[], byte[]> current = producer();
            List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
            try {
                for (ProducerRecord<byte[], byte[]> record : records) futures.add(current.send(record));
                current.flush();
            } catch (InterruptException e) {
                Thread.currentThread().interrupt();
                discard();
                throw new SendFailure("interrupted while sending", -1, e);
            } catch (RuntimeException e) {
                discard();
                throw new SendFailure(e.getClass().getSimpleName() + ": " + e.getMessage(), -1, e);
            }
            long deadline = System.nanoTime() + deliveryTimeout.plusSeconds(5).toNanos();
            SendFailure failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    boolean tooLarge = cause instanceof RecordTooLargeException
                            || cause instanceof RecordBatchTooLargeException;
                    if (tooLarge && (failure == null || failure.tooLarge() < 0)) {
                        failure = new SendFailure(cause.getMessage(), i, cause);
                    } else if (failure == null) {
                        failure = new SendFailure(cause.getClass().getSimpleName() + ": " + cause.getMessage(), -1,
                                cause);
                    }
                } catch (TimeoutException e) {
                    if (failure == null) {
                        failure = new SendFailure("no acknowledgement within " + deliveryTimeout.toMillis()
                                + " ms", -1, e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    discard();
                    throw new SendFailure("interrupted while waiting for acknowledgements", -1, e);
                }
            }
            if (failure != null) {
                discard();
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many producer instances were created so far (a new one after each failure). */
    public long instancesCreated() {
        lock.lock();
        try {
            return created;
        } finally {
            lock.unlock();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
            created++;
        }
        return producer;
    }

    private void discard() {
        if (producer == null) return;
        KafkaProducer<byte[], byte[]> old = producer;
        producer = null;
        boolean interrupted = Thread.interrupted();
        try {
            old.close(Duration.ZERO);
        } catch (RuntimeException e) {
            // closing a broken producer may fail too; it is gone either way
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (producer != null) {
                KafkaProducer<byte[], byte[]> old = producer;
                producer = null;
                old.close(Duration.ofSeconds(5));
            }
        } finally {
            lock.unlock();
        }
    }
}
