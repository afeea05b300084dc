package io.audiencerelay.application.port.out;

import io.audiencerelay.domain.DestinationName;
import java.time.Duration;

/** What the delivery workers report, for the metrics endpoint. */
public interface DeliveryMetrics {

  /**
   * One partner call's result.
   *
   * @param outcome {@code ok}, {@code retry}, {@code rejected} or {@code error}
   * @param items changes the call carried
   */
  void delivery(DestinationName destination, String outcome, int items);

  /** How long delivered changes waited between acceptance and delivery. */
  void deliveryLatency(DestinationName destination, Duration waited);

  /** Items that gave up and went to the dead-letter table. */
  void deadLettered(DestinationName destination, int items);

  /**
   * A delivery failed: what the partner said, and until when the destination's changes wait for it
   * (a retry's back-off, a new partner login). For the operator's view; metrics may ignore it.
   */
  default void problem(
      DestinationName destination, String error, java.time.Instant waitUntil, boolean needsLogin) {}

  /** Reports to each of them, in order. */
  static DeliveryMetrics all(DeliveryMetrics... each) {
    java.util.List<DeliveryMetrics> all = java.util.List.of(each);
    return new DeliveryMetrics() {
      @Override
      public void delivery(DestinationName destination, String outcome, int items) {
        all.forEach(m -> m.delivery(destination, outcome, items));
      }

      @Override
      public void deliveryLatency(DestinationName destination, Duration waited) {
        all.forEach(m -> m.deliveryLatency(destination, waited));
      }

      @Override
      public void deadLettered(DestinationName destination, int items) {
        all.forEach(m -> m.deadLettered(destination, items));
      }

      @Override
      public void problem(
          DestinationName destination,
          String error,
          java.time.Instant waitUntil,
          boolean needsLogin) {
        all.forEach(m -> m.problem(destination, error, waitUntil, needsLogin));
      }
    };
  }

  /** Reports nothing, for tests and tools. */
  DeliveryMetrics NONE =
      new DeliveryMetrics() {
        @Override
        public void delivery(DestinationName destination, String outcome, int items) {}

        @Override
        public void deliveryLatency(DestinationName destination, Duration waited) {}

        @Override
        public void deadLettered(DestinationName destination, int items) {}
      };
}
