/**
 * The {@code launchdarkly} destination: big segments through the customer's REST API, or a
 * registered synced-segment integration.
 */
package io.audiencerelay.adapters.partner.launchdarkly;
