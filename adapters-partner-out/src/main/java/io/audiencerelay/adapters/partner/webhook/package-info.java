/**
 * The {@code webhook} destination: each batch POSTed as the relay's versioned JSON, signed and
 * idempotent.
 */
package io.audiencerelay.adapters.partner.webhook;
