/**
 * Mapp DMP's "DIY integration" endpoint: its route, the signature check and the streaming reader of
 * its bodies.
 */
package io.audiencerelay.adapters.http.in.mapp;
