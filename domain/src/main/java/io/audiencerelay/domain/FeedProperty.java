package io.audiencerelay.domain;

import java.util.Optional;

/**
 * One of a feed's plugin properties as the platform types it ({@code property_type}). A type the
 * relay does not read is kept as {@link Other}, so a new platform type never breaks a feed; a value
 * that does not fit its declared type is kept as {@link Unreadable}, with the reason, so that
 * whoever needs it can say what is wrong.
 */
public sealed interface FeedProperty {

  /** The platform's name of the type, as it sent it. */
  String type();

  /** The value as text, for a property read as text (a name, an id, a URL, a number). */
  Optional<String> text();

  /** {@code STRING}. */
  record Text(String value) implements FeedProperty {
    public Text {
      Require.present(value, "value");
    }

    @Override
    public String type() {
      return "STRING";
    }

    @Override
    public Optional<String> text() {
      return Optional.of(value);
    }
  }

  /** {@code URL}. */
  record Link(String url) implements FeedProperty {
    public Link {
      Require.present(url, "url");
    }

    @Override
    public String type() {
      return "URL";
    }

    @Override
    public Optional<String> text() {
      return Optional.of(url);
    }
  }

  /** {@code INT}. */
  record WholeNumber(long value) implements FeedProperty {
    @Override
    public String type() {
      return "INT";
    }

    @Override
    public Optional<String> text() {
      return Optional.of(Long.toString(value));
    }
  }

  /** {@code DOUBLE}. */
  record Decimal(double value) implements FeedProperty {
    public Decimal {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("a DOUBLE property must be a finite number");
      }
    }

    @Override
    public String type() {
      return "DOUBLE";
    }

    @Override
    public Optional<String> text() {
      return Optional.of(Double.toString(value));
    }
  }

  /** {@code BOOLEAN}. */
  record Flag(boolean value) implements FeedProperty {
    @Override
    public String type() {
      return "BOOLEAN";
    }

    @Override
    public Optional<String> text() {
      return Optional.of(Boolean.toString(value));
    }
  }

  /** {@code ASSET} or {@code ASSET_FILE}: a file the platform stores; every field may be absent. */
  record Asset(String type, String assetId, String filePath, String originalFileName)
      implements FeedProperty {
    public Asset {
      Require.present(type, "type");
    }

    @Override
    public Optional<String> text() {
      return Optional.ofNullable(filePath);
    }
  }

  /**
   * {@code DATA_FILE}: a file downloaded through the gateway by its {@code mics://} uri; {@code
   * lastModified} (epoch milliseconds, when given) changes when the platform's user replaces it.
   */
  record DataFile(String uri, Long lastModified) implements FeedProperty {
    public DataFile {
      Require.present(uri, "uri");
    }

    @Override
    public String type() {
      return "DATA_FILE";
    }

    @Override
    public Optional<String> text() {
      return Optional.of(uri);
    }
  }

  /** A type the relay does not read: kept, ignored. */
  record Other(String type) implements FeedProperty {
    public Other {
      Require.present(type, "type");
    }

    @Override
    public Optional<String> text() {
      return Optional.empty();
    }
  }

  /** A value that does not fit its declared type, and why. */
  record Unreadable(String type, String reason) implements FeedProperty {
    public Unreadable {
      Require.present(type, "type");
      Require.present(reason, "reason");
    }

    @Override
    public Optional<String> text() {
      return Optional.empty();
    }
  }
}
