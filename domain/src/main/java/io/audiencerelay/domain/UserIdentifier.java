package io.audiencerelay.domain;

/**
 * One way of recognising a user, as the platform sends it. Each kind knows its protocol type name
 * and the value a partner would match on.
 */
public sealed interface UserIdentifier
    permits UserIdentifier.UserPoint,
        UserIdentifier.UserAccount,
        UserIdentifier.UserEmail,
        UserIdentifier.UserAgent,
        UserIdentifier.UserDevicePoint,
        UserIdentifier.DeviceTechnicalId,
        UserIdentifier.ExternalUserId {

  /** The protocol's type name, for example {@code USER_EMAIL}. */
  String type();

  /** The value a partner matches on. */
  String value();

  /** The platform's own id of a user (a UUID). */
  record UserPoint(String userPointId) implements UserIdentifier {
    public UserPoint {
      userPointId = Require.id(userPointId, "user_point_id");
    }

    public String type() {
      return "USER_POINT";
    }

    public String value() {
      return userPointId;
    }
  }

  /**
   * A customer account id, meaningful inside one compartment (null when the platform did not say
   * which).
   */
  record UserAccount(String userAccountId, String compartmentId) implements UserIdentifier {
    public UserAccount {
      userAccountId = Require.id(userAccountId, "user_account_id");
      compartmentId = Require.optionalId(compartmentId, "compartment_id");
    }

    public String type() {
      return "USER_ACCOUNT";
    }

    public String value() {
      return userAccountId;
    }
  }

  /**
   * An email known by its hash, and in clear when the platform shares it. Partners hash with their
   * own rules, so the clear address is kept when present.
   */
  record UserEmail(String hash, String email) implements UserIdentifier {
    public UserEmail {
      hash = Require.optionalId(hash, "hash");
      email = Require.optionalId(email, "email");
      if (hash == null && email == null) {
        throw new IllegalArgumentException("USER_EMAIL needs a hash or an email");
      }
    }

    public String type() {
      return "USER_EMAIL";
    }

    /** The hash when there is one (what the platform keys on), else the clear address. */
    public String value() {
      return hash != null ? hash : email;
    }
  }

  /**
   * A browser or app user agent, as the platform's vector id (for example {@code vec:886742516}).
   */
  record UserAgent(String vectorId) implements UserIdentifier {
    public UserAgent {
      vectorId = Require.id(vectorId, "vector_id");
    }

    public String type() {
      return "USER_AGENT";
    }

    public String value() {
      return vectorId;
    }
  }

  /** A device point: the platform's id of one device of a user. */
  record UserDevicePoint(String devicePointId) implements UserIdentifier {
    public UserDevicePoint {
      devicePointId = Require.id(devicePointId, "id");
    }

    public String type() {
      return "USER_DEVICE_POINT";
    }

    public String value() {
      return devicePointId;
    }
  }

  /**
   * A technical device id carried by a device point: mobile advertising or vendor ids, TV ids, IP
   * ids and so on.
   *
   * @param kind the protocol's technical identifier type, for example {@code MOBILE_ADVERTISING_ID}
   * @param registryId the id registry the value belongs to, or null
   */
  record DeviceTechnicalId(String kind, String deviceId, String registryId)
      implements UserIdentifier {
    public DeviceTechnicalId {
      kind = Require.id(kind, "technical identifier type");
      deviceId = Require.id(deviceId, "user_agent_id");
      registryId = Require.optionalId(registryId, "registry_id");
    }

    public String type() {
      return kind;
    }

    public String value() {
      return deviceId;
    }
  }

  /**
   * A user id issued by another system than the platform: the Mapp DMP's user UUID, a cookie-synced
   * partner id, a synced-segment context key.
   *
   * @param kind what issued it, for example {@code MAPP_UUID}; upper case, used as the type name
   */
  record ExternalUserId(String kind, String id) implements UserIdentifier {
    public ExternalUserId {
      kind = Require.id(kind, "external id kind").toUpperCase(java.util.Locale.ROOT);
      id = Require.id(id, "external user id");
    }

    public String type() {
      return kind;
    }

    public String value() {
      return id;
    }
  }
}
