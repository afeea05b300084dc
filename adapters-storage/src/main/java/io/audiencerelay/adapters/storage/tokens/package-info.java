/** Partner grants, sealed with AES-256-GCM under rotating keys. */
package io.audiencerelay.adapters.storage.tokens;
