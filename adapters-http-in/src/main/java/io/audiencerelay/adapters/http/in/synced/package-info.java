/**
 * The LaunchDarkly-style synced-segments receiver: its route, the per-source parser configured with
 * JSON pointers, the presets and the response templates.
 */
package io.audiencerelay.adapters.http.in.synced;
