/**
 * The saga status read model: one row per saga of one saga type (status, current step, failure, dead letter, times,
 * version), kept by {@link dev.factum.shop.order.saga.view.SagaStatusProjection} from the engine's own events and read
 * by {@link dev.factum.shop.order.saga.view.SagaStatusQueries}, so listing sagas by status does not replay their
 * streams. The timeline of one saga is still read from its stream.
 */
package dev.factum.shop.order.saga.view;
