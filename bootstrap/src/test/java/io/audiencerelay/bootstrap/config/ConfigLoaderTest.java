package io.audiencerelay.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.audiencerelay.domain.Destination;
import io.audiencerelay.domain.DestinationName;
import io.audiencerelay.domain.FeedId;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  RelayConfig load(Map<String, String> env) {
    return new ConfigLoader(env).load();
  }

  Map<String, String> withFile(String content, String... more) throws IOException {
    Path file = Files.writeString(dir.resolve("relay.yaml"), content);
    Map<String, String> env = new HashMap<>(Map.of("RELAY_CONFIG", file.toString()));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void withoutAFileTheDemoWritesToALocalDirectoryOnPort8080() {
    RelayConfig config = load(Map.of());

    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().maxPayloadBytes()).isEqualTo(12L * 1024 * 1024);
    assertThat(config.gateway()).isEmpty();
    assertThat(config.destinations()).hasSize(1);
    assertThat(config.destinations().getFirst().type()).isEqualTo("file");
    assertThat(config.destinations().getFirst().setting("directory")).contains("relay-data/out");
  }

  @Test
  void readsDestinationsFeedsAndSecretsFromTheEnvironment() throws IOException {
    var env =
        withFile(
            """
            server:
              port: 9090
              max_payload_bytes: 2048
            log_level: debug
            destinations:
              files:
                type: file
                directory: /var/relay
                max_file_bytes: 4096
              hook:
                type: recording
                secret: ${HOOK_SECRET}
                url: https://hooks.example/${HOOK_PATH}/in
            feeds:
              "6921":
                properties:
                  destination: hook
                  batch_size: 500
            """,
            "HOOK_SECRET",
            "s3cr3t",
            "HOOK_PATH",
            "a/b");

    RelayConfig config = load(env);

    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().maxPayloadBytes()).isEqualTo(2048);
    assertThat(config.logLevel()).isEqualTo("debug");
    var hook = config.destinations().get(1);
    assertThat(hook.name()).isEqualTo(new DestinationName("hook"));
    assertThat(hook.settings())
        .containsEntry("secret", "s3cr3t")
        .containsEntry("url", "https://hooks.example/a/b/in");
    assertThat(config.destinations().getFirst().settings()).containsEntry("max_file_bytes", "4096");
    assertThat(config.feeds().get(new FeedId("6921")).values())
        .containsEntry("destination", "hook")
        .containsEntry("batch_size", "500");
  }

  @Test
  void aDestinationOrTheWholeRelayRunsAsABatchedFeed() throws IOException {
    var perDestination =
        withFile(
            """
            destinations:
              batched: {type: file, directory: a, feed_mode: batched}
              queued: {type: file, directory: b}
            """);
    var wholeRelay =
        withFile(
            """
            feed_mode: batched
            destinations:
              one: {type: file, directory: a}
              other: {type: file, directory: b, feed_mode: queued}
            """);

    assertThat(load(perDestination).destinations())
        .extracting(Destination::batchedFeed)
        .containsExactly(true, false);
    assertThat(load(wholeRelay).destinations())
        .extracting(Destination::batchedFeed)
        .containsExactly(true, false);
  }

  @Test
  void anUnknownFeedModeIsRefusedNamingTheKey() throws IOException {
    var env = withFile("destinations: {d: {type: file, directory: a, feed_mode: batch}}");

    assertThatThrownBy(() -> load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "destinations.d.feed_mode: must be queued (each update queued as it arrives) or batched"
                + " (the platform batches updates for batch_update), got 'batch'");
  }

  static final Map<String, String> GATEWAY =
      Map.of(
          "RELAY_CONFIG", "platform:configuration",
          "PLUGIN_WORKER_ID", "worker-1",
          "PLUGIN_AUTHENTICATION_TOKEN", "token");

  @Test
  void aPluginReadsItsDestinationsFromThePluginVersionsConfigurationFile() {
    Map<String, String> asked = new HashMap<>();
    var loader =
        new ConfigLoader(
            GATEWAY,
            gateway ->
                name -> {
                  asked.put(name, gateway.host() + ":" + gateway.port());
                  return java.util.Optional.of(
                      "destinations: {ads: {type: file, directory: out}}".getBytes());
                });

    RelayConfig config = loader.load();

    assertThat(asked).containsExactly(Map.entry("configuration", "plugin-gateway.platform:8080"));
    assertThat(config.destinations()).extracting(d -> d.name().value()).containsExactly("ads");
    assertThat(config.source()).contains("platform:configuration");
  }

  @Test
  void aMissingOrUnreadableConfigurationFileStopsTheStartSayingWhy() {
    assertThatThrownBy(
            () -> new ConfigLoader(GATEWAY, gateway -> name -> java.util.Optional.empty()).load())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "RELAY_CONFIG platform:configuration: the platform has no configuration file"
                + " 'configuration' for this plugin version");
    assertThatThrownBy(
            () ->
                new ConfigLoader(
                        GATEWAY,
                        gateway ->
                            name -> {
                              throw new io.audiencerelay.application.port.out
                                  .PlatformUnavailableException("Gateway answered 500");
                            })
                    .load())
        .isInstanceOf(ConfigException.class)
        .hasMessage("RELAY_CONFIG platform:configuration: cannot read it: Gateway answered 500");
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of("RELAY_CONFIG", "platform:configuration")).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PLUGIN_WORKER_ID and PLUGIN_AUTHENTICATION_TOKEN are required");
  }

  @Test
  void theAdminListenerIsOnLoopbackByDefaultAndConfigurable() throws IOException {
    var defaults = load(Map.of()).admin().orElseThrow();
    assertThat(defaults.host()).isEqualTo("127.0.0.1");
    assertThat(defaults.port()).isEqualTo(9090);
    assertThat(defaults.loopbackOnly()).isTrue();
    assertThat(defaults.hasCredentials()).isFalse();

    var env =
        withFile(
            """
            admin: {host: 0.0.0.0, token: '${ADMIN_TOKEN}', metrics_on_protocol_port: true}
            server: {allowed_networks: [10.0.0.0/8, '::1']}
            destinations: {d: {type: file, directory: x}}
            """,
            "ADMIN_TOKEN",
            "0123456789abcdef-token",
            "ADMIN_PORT",
            "19999");
    RelayConfig config = load(env);
    var admin = config.admin().orElseThrow();
    assertThat(admin.port()).isEqualTo(19999);
    assertThat(admin.loopbackOnly()).isFalse();
    assertThat(admin.token()).isEqualTo("0123456789abcdef-token");
    assertThat(admin.metricsOnProtocolPort()).isTrue();
    assertThat(admin.toString()).doesNotContain("0123456789abcdef-token");
    assertThat(config.allowedNetworks().blocks()).hasSize(2);
    assertThat(
            load(withFile("admin: {enabled: false}\ndestinations: {d: {type: file, directory: x}}"))
                .admin())
        .isEmpty();
  }

  @Test
  void adminMistakesNameTheKey() throws IOException {
    assertThatThrownBy(
            () ->
                load(withFile("admin: {user: ops}\ndestinations: {d: {type: file, directory: x}}")))
        .hasMessage("admin.password: admin.user and admin.password go together");
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "admin: {token: short}\ndestinations: {d: {type: file, directory: x}}")))
        .hasMessage("admin.token: use at least 16 characters");
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "server: {allowed_networks: [10.0.0.0/40]}\n"
                            + "destinations: {d: {type: file, directory: x}}")))
        .hasMessage(
            "server.allowed_networks[0]: '10.0.0.0/40': the prefix must be between 0 and 32");
    assertThatThrownBy(
            () -> load(withFile("admin: {prot: 1}\ndestinations: {d: {type: file, directory: x}}")))
        .hasMessageStartingWith("admin.prot: unknown key");
  }

  @Test
  void aJsonDocumentLoadsTheSameWay() throws IOException {
    var env =
        withFile("{\"destinations\": {\"files\": {\"type\": \"file\", \"directory\": \"out\"}}}");

    assertThat(load(env).destinations().getFirst().setting("directory")).contains("out");
  }

  @Test
  void pluginPortOverridesTheFile() throws IOException {
    var env =
        withFile(
            "server: {port: 9090}\ndestinations: {d: {type: file, directory: x}}\n",
            "PLUGIN_PORT",
            "7070");

    assertThat(load(env).http().port()).isEqualTo(7070);
  }

  @Test
  void workerCredentialsAloneSelectTheGatewayAtTheSdksDefaultAddress() {
    RelayConfig config =
        load(
            Map.of(
                "PLUGIN_WORKER_ID", "plugin-worker-1", "PLUGIN_AUTHENTICATION_TOKEN", "0123abcd"));

    var gateway = config.gateway().orElseThrow();
    assertThat(gateway.host()).isEqualTo("plugin-gateway.platform");
    assertThat(gateway.port()).isEqualTo(8080);
    assertThat(gateway.toString()).doesNotContain("0123abcd");
  }

  @Test
  void aGatewayWithoutCredentialsIsRefused() {
    assertThatThrownBy(() -> load(Map.of("GATEWAY_HOST", "gw", "PLUGIN_WORKER_ID", "w")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "PLUGIN_AUTHENTICATION_TOKEN: required to call the plugin gateway (Missing auth token)");
  }

  @Test
  void staticFeedPropertiesAreTypedAsThePlatformTypesThem() throws IOException {
    var env =
        withFile(
            """
            destinations:
              sink:
                type: recording
            feeds:
              "6921":
                properties:
                  ad_account_id: act_991
                  batch_size: 500
                  match_rate: 0.75
                  hash_emails: true
                  api_endpoint: {url: "https://api.partner.example/v2"}
                  mapping_file: {data_file: "mics://data_file/tenants/1/map.json", last_modified: 1717000000000}
            """);

    FeedProperties properties = load(env).feeds().get(new FeedId("6921"));

    assertThat(properties.typed())
        .containsEntry("ad_account_id", new FeedProperty.Text("act_991"))
        .containsEntry("batch_size", new FeedProperty.WholeNumber(500))
        .containsEntry("match_rate", new FeedProperty.Decimal(0.75))
        .containsEntry("hash_emails", new FeedProperty.Flag(true))
        .containsEntry("api_endpoint", new FeedProperty.Link("https://api.partner.example/v2"))
        .containsEntry(
            "mapping_file",
            new FeedProperty.DataFile("mics://data_file/tenants/1/map.json", 1717000000000L));
    assertThat(properties.get("batch_size")).contains("500");
  }

  @Test
  void aStaticFeedPropertyOfAnUnknownShapeSaysWhichKeysAreKnown() throws IOException {
    var env =
        withFile(
            """
            destinations:
              sink:
                type: recording
            feeds:
              "6921":
                properties:
                  mapping_file: {file: "x.json"}
            """);

    assertThatThrownBy(() -> load(env))
        .hasMessage(
            "feeds.6921.properties.mapping_file.file: unknown key (known: url, data_file,"
                + " last_modified)");
  }

  @Test
  void feedDestinationsAndPluginVersionsLinkPlatformIdsToDestinations() throws IOException {
    var config =
        load(
            withFile(
                """
                destinations: {ads: {type: recording}, b2b: {type: recording}}
                feed_destinations: {"318": b2b, 319: ads}
                plugin_versions: {"4410": ads}
                """));

    assertThat(config.feedDestinationLinks())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                new io.audiencerelay.domain.FeedDestinationId("318"),
                new io.audiencerelay.domain.DestinationName("b2b"),
                new io.audiencerelay.domain.FeedDestinationId("319"),
                new io.audiencerelay.domain.DestinationName("ads")));
    assertThat(config.pluginVersionLinks())
        .containsEntry("4410", new io.audiencerelay.domain.DestinationName("ads"));
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "destinations: {ads: {type: recording}}\nplugin_versions: {\"4410\": tiktok}\n")))
        .hasMessage("plugin_versions.4410: 'tiktok' is not a configured destination");
    assertThatThrownBy(
            () ->
                load(
                    withFile("destinations: {ads: {type: recording}}\nfeed_destinations: [318]\n")))
        .hasMessage("feed_destinations: must map platform ids to destination names");
  }

  @Test
  void everyMistakeIsOneLineNamingTheKey() throws IOException {
    assertThatThrownBy(() -> load(withFile("destination: {}\n")))
        .hasMessage(
            "destination: unknown key (known: admin, delivery, destinations, feed_destinations, feed_mode, feeds, log_level, mapp,"
                + " plugin_versions, queue, server, storage, synced_segments)");
    assertThatThrownBy(() -> load(withFile("destinations: {demo: {directory: x}}\n")))
        .hasMessage("destinations.demo.type: is required (for example 'file')");
    assertThatThrownBy(
            () -> load(withFile("destinations: {demo: {type: file, directory: '${NOPE}'}}\n")))
        .hasMessage(
            "destinations.demo.directory: refers to ${NOPE}, which is not set in the environment");
    assertThatThrownBy(
            () -> load(withFile("server: {port: 99999}\ndestinations: {d: {type: file}}\n")))
        .hasMessage("server.port: must be between 0 and 65535, got 99999");
    assertThatThrownBy(() -> load(withFile("server: {prot: 1}\ndestinations: {d: {type: file}}\n")))
        .hasMessageStartingWith("server.prot: unknown key");
    assertThatThrownBy(() -> load(withFile("destinations: {d: {type: file, directory: [a, b]}}\n")))
        .hasMessage("destinations.d.directory: must be a single value, not a list or mapping");
    assertThatThrownBy(() -> load(withFile("destinations: {'bad name': {type: file}}\n")))
        .hasMessageStartingWith("destinations.bad name: destination name 'bad name' must be");
    assertThatThrownBy(() -> load(withFile("destinations: [\n")))
        .hasMessageContaining("not valid YAML at line");
    assertThatThrownBy(() -> load(Map.of("RELAY_CONFIG", dir.resolve("missing.yaml").toString())))
        .hasMessageEndingWith("missing.yaml: no such file");
  }

  @Test
  void storageIsSqliteUnderTheDataDirectoryUnlessPostgresqlIsGiven() throws IOException {
    RelayConfig demo = load(Map.of());
    assertThat(demo.storage().dataDirectory()).isEqualTo(Path.of("relay-data"));
    assertThat(demo.storage().postgresql()).isEmpty();
    assertThat(demo.storage().maxDepthPerDestination()).isEqualTo(1_000_000);

    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    var env =
        withFile(
            """
            storage:
              postgresql:
                url: jdbc:postgresql://db.internal:5432/relay
                user: relay
                password: ${PGPASSWORD}
              token_keys:
                k1: %s
            queue:
              max_depth_per_destination: 5000
              busy_retry_after_ms: 2500
            destinations: {d: {type: file, directory: x}}
            """
                .formatted(key),
            "PGPASSWORD",
            "pw");
    StorageSettings storage = load(env).storage();

    assertThat(storage.postgresql().orElseThrow().password()).isEqualTo("pw");
    assertThat(storage.postgresql().orElseThrow().poolSize()).isEqualTo(10);
    assertThat(storage.activeTokenKeyId()).isEqualTo("k1");
    assertThat(storage.maxDepthPerDestination()).isEqualTo(5000);
    assertThat(storage.busyRetryAfter()).isEqualTo(java.time.Duration.ofMillis(2500));
    assertThat(storage.toString()).doesNotContain("pw").doesNotContain(key);
  }

  @Test
  void deliveryDefaultsApplyToEveryDestinationAndEachMayOverrideThem() throws IOException {
    var env =
        withFile(
            """
            delivery:
              linger_ms: 200
              max_attempts: 5
            destinations:
              slow:
                type: file
                directory: x
                delivery:
                  rate_limit_per_second: 2.5
                  concurrency: 1
              fast: {type: file, directory: y}
            """);
    RelayConfig config = load(env);

    var slow = config.deliveryOf(new DestinationName("slow"));
    var fast = config.deliveryOf(new DestinationName("fast"));
    assertThat(slow.linger()).isEqualTo(java.time.Duration.ofMillis(200));
    assertThat(slow.maxAttempts()).isEqualTo(5);
    assertThat(slow.ratePerSecond()).isEqualTo(2.5);
    assertThat(slow.concurrency()).isEqualTo(1);
    assertThat(fast.ratePerSecond()).isZero();
    assertThat(fast.concurrency()).isEqualTo(2);
    assertThat(config.destinations().getFirst().settings()).doesNotContainKey("delivery");
  }

  @Test
  void storageAndDeliveryMistakesNameTheKey() throws IOException {
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "storage: {postgresql: {url: 'mysql://x'}}\ndestinations: {d: {type: file}}\n")))
        .hasMessage("storage.postgresql.url: must start with jdbc:postgresql:, got 'mysql://x'");
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "storage: {token_keys: {k1: c2hvcnQ=}}\ndestinations: {d: {type: file}}\n")))
        .hasMessage("storage.token_keys.k1: must decode to 32 bytes (AES-256), got 5");
    assertThatThrownBy(
            () -> load(withFile("delivery: {lingr_ms: 1}\ndestinations: {d: {type: file}}\n")))
        .hasMessageStartingWith(
            "delivery.lingr_ms: unknown key (known: base_backoff_ms, concurrency,");
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "destinations: {d: {type: file, delivery: {rate_limit_per_second: fast}}}\n")))
        .hasMessage(
            "destinations.d.delivery.rate_limit_per_second: must be a number of calls per second, 0 for none; got 'fast'");
  }

  @Test
  void theMappEndpointIsOffUnlessConfiguredAndNeverOpenWithoutConsent() throws IOException {
    assertThat(load(Map.of()).mapp()).isEmpty();

    var on =
        load(
            withFile(
                "mapp: {secret: '${MAPP_SECRET}', basic_auth_user: mapp, basic_auth_password: pw}\n"
                    + "destinations: {files: {type: file, directory: x}}\n",
                "MAPP_SECRET",
                "s3"));
    assertThat(on.mapp().orElseThrow().secret()).isEqualTo("s3");
    assertThat(on.mapp().orElseThrow().destination()).isEqualTo(new DestinationName("files"));
    assertThat(on.mapp().orElseThrow().toString()).doesNotContain("s3").doesNotContain("pw");

    assertThatThrownBy(
            () -> load(withFile("mapp: {}\ndestinations: {files: {type: file, directory: x}}\n")))
        .hasMessageStartingWith("mapp.secret: is required");
    assertThat(
            load(withFile(
                    "mapp: {allow_unsigned: true}\ndestinations: {files: {type: file, directory: x}}\n"))
                .mapp()
                .orElseThrow()
                .secret())
        .isNull();
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "mapp: {secret: s}\ndestinations: {a: {type: file, directory: x}, b: {type: file, directory: y}}\n")))
        .hasMessage("mapp.destination: is required when several destinations are configured");
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "mapp: {secret: s, destination: nope}\ndestinations: {a: {type: file, directory: x}}\n")))
        .hasMessage("mapp.destination: 'nope' is not a configured destination");
  }

  @Test
  void aPresetWhoseManifestDefinesAnAnswerGivesItUnlessTheSourceSetsItsOwn() throws IOException {
    var config =
        load(
            withFile(
                """
                destinations: {flags: {type: recording}}
                synced_segments:
                  heap-inbound: {token: t1}
                  mixpanel-like: {token: t2, preset: example-synced-segment-integration2}
                  heap-custom: {token: t3, preset: heap-inbound, response_template: '{"mine": 1}'}
                """));

    assertThat(config.syncedSegments().get(0).responseTemplate().toString())
        .isEqualTo(
            io.audiencerelay.adapters.http.in.synced.SyncedSegmentPresets.response("heap-inbound")
                .orElseThrow());
    assertThat(config.syncedSegments().get(1).responseTemplate().toString())
        .startsWith("{\"environmentId\":\"{{requestBody.environmentId}}\"");
    assertThat(config.syncedSegments().get(2).responseTemplate().toString())
        .isEqualTo("{\"mine\": 1}");
  }

  @Test
  void syncedSegmentSendersNeedATokenAndAPresetOrPointers() throws IOException {
    var config =
        load(
            withFile(
                """
                destinations: {flags: {type: recording}}
                synced_segments:
                  amplitude: {token: '${AMP_TOKEN}'}
                  my-cdp:
                    token: t2
                    parser:
                      environmentIdPath: /env
                      cohortIdPath: /cohort
                      cohortNamePath: /name
                      addMemberArrayPath: /in
                      removeMemberArrayPath: /out
                      memberArrayParser: {memberIdPath: /key}
                    response_template: '{"ok": true}'
                """,
                "AMP_TOKEN",
                "t1"));

    assertThat(config.syncedSegments()).hasSize(2);
    // Amplitude's manifest defines no answer: 204. The explicit source keeps its own template.
    assertThat(config.syncedSegments().getFirst().responseTemplate()).isNull();
    assertThat(config.syncedSegments().get(1).responseTemplate().toString())
        .isEqualTo("{\"ok\": true}");
    assertThat(config.syncedSegments().getFirst().parser())
        .isEqualTo(
            io.audiencerelay.adapters.http.in.synced.SyncedSegmentPresets.parsers()
                .get("amplitude"));
    assertThat(config.syncedSegments().get(1).parser().removeMemberArrayPath()).isEqualTo("/out");
    assertThat(config.syncedSegments().toString()).doesNotContain("t1").doesNotContain("t2");

    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "destinations: {f: {type: recording}}\nsynced_segments: {amplitude: {}}\n")))
        .hasMessage("synced_segments.amplitude.token: is required (the sender's access token)");
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "destinations: {f: {type: recording}}\nsynced_segments: {acme: {token: t}}\n")))
        .hasMessageStartingWith(
            "synced_segments.acme.preset: 'acme' is not a built-in preset (known: amplitude,");
    assertThatThrownBy(
            () ->
                load(
                    withFile(
                        "destinations: {f: {type: recording}}\nsynced_segments: {x: {token: t, parser: {cohortIdPath: /c}}}\n")))
        .hasMessage("synced_segments.x.parser: environmentIdPath is required");
  }
}
