/**
 * The outbound ports, named by role: the partner ({@code PartnerConnector}), the platform ({@code
 * PlatformGateway}), the durable queue, the stores of mappings, links and tokens, and delivery
 * metrics. Adapters implement them; the services call only these.
 */
package io.audiencerelay.application.port.out;
