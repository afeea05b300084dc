/**
 * The inbound HTTP adapter (Helidon WebServer SE): the server, its error answers, and what every
 * protocol shares: bounded and decoded request bodies, strict UTF-8, JSON reading with clear
 * errors, the log level.
 */
package io.audiencerelay.adapters.http.in;
