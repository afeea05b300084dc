/**
 * Which partner audience each segment has at each destination, and the links from platform feed
 * destinations to destinations.
 */
package io.audiencerelay.adapters.storage.mappings;
