/**
 * Normalising and hashing user identifiers the way partners ask (SHA-256, hex or Base64), and
 * recognising values that are hashed already.
 */
package io.audiencerelay.domain.hashing;
