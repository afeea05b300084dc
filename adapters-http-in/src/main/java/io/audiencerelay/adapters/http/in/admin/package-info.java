/**
 * The admin listener: its own socket (loopback by default), who may use it, the JSON API of the
 * operator's use cases, the console's files, {@code /metrics} and the log level.
 */
package io.audiencerelay.adapters.http.in.admin;
