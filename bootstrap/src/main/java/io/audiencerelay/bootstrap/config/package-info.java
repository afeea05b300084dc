/**
 * The configuration: the file and the environment read into checked settings, each error naming its
 * key, and the token keys.
 */
package io.audiencerelay.bootstrap.config;
