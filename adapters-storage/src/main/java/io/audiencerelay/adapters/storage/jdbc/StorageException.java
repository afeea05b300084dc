package io.audiencerelay.adapters.storage.jdbc;

/** The database failed; the message names the store and the operation, never credentials. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
