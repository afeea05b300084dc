/**
 * The mediarithmics audience segment external feed protocol: its routes, wire records and status
 * mapping, wire-compatible with the official Node SDK, and the streaming reader of the hot single
 * update.
 */
package io.audiencerelay.adapters.http.in.feed;
