/**
 * The inbound ports: one use-case interface per protocol action, its command (validated on
 * construction) and its sealed result. The inbound adapters call only these.
 */
package io.audiencerelay.application.port.in;
