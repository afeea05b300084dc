/**
 * The platform client: the mediarithmics plugin gateway (feeds, properties, credentials) over HTTP
 * with its cache, or static feeds from the configuration.
 */
package io.audiencerelay.adapters.platform;
