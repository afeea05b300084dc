package io.audiencerelay.bootstrap.config;

/** A configuration that cannot run. The message names the key and what is wrong, in one line. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
