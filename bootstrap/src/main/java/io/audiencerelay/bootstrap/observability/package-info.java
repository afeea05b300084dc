/** Metrics (Micrometer, Prometheus text) and JSON logging. */
package io.audiencerelay.bootstrap.observability;
