/**
 * Which destination a request or a feed goes to: the configured destinations with their partners,
 * feed properties, and the links from platform ids to destinations.
 */
package io.audiencerelay.application.service.routing;
