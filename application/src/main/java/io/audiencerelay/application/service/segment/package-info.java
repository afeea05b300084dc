/**
 * Creating and connecting a segment's partner audience ({@code external_segment_creation}, {@code
 * external_segment_connection}).
 */
package io.audiencerelay.application.service.segment;
