package io.audiencerelay.bootstrap.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.Multibinds;
import dagger.multibindings.StringKey;
import io.audiencerelay.adapters.partner.client.PartnerHttp;
import io.audiencerelay.adapters.partner.client.RetryDelays;
import io.audiencerelay.adapters.partner.file.FilePartnerConnector;
import io.audiencerelay.adapters.partner.launchdarkly.LaunchDarklyPartnerConnector;
import io.audiencerelay.adapters.partner.linkedin.LinkedInPartnerConnector;
import io.audiencerelay.adapters.partner.meta.MetaPartnerConnector;
import io.audiencerelay.adapters.partner.recording.RecordingPartnerConnector;
import io.audiencerelay.adapters.partner.webhook.WebhookPartnerConnector;
import io.audiencerelay.application.port.out.PartnerConnector;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * Every partner the relay can deliver to, keyed by its destination type. Adding a partner is one
 * connector class and one method here; a duplicate key fails the build.
 */
@Module
interface PartnersModule {

  @Multibinds
  Map<String, PartnerConnector> partners();

  @Provides
  @Singleton
  @IntoMap
  @StringKey(FilePartnerConnector.TYPE)
  static PartnerConnector file(Clock clock) {
    return new FilePartnerConnector(clock);
  }

  @Provides
  @Singleton
  @IntoMap
  @StringKey(WebhookPartnerConnector.TYPE)
  static PartnerConnector webhook(OkHttpClient http, Clock clock) {
    return new WebhookPartnerConnector(
        new PartnerHttp(http, new RetryDelays(clock), WebhookPartnerConnector.TYPE));
  }

  @Provides
  @Singleton
  @IntoMap
  @StringKey(LaunchDarklyPartnerConnector.TYPE)
  static PartnerConnector launchDarkly(OkHttpClient http, ObjectMapper json, Clock clock) {
    return new LaunchDarklyPartnerConnector(
        new PartnerHttp(http, new RetryDelays(clock), LaunchDarklyPartnerConnector.TYPE), json);
  }

  @Provides
  @Singleton
  @IntoMap
  @StringKey(LinkedInPartnerConnector.TYPE)
  static PartnerConnector linkedIn(OkHttpClient http, ObjectMapper json, Clock clock) {
    return new LinkedInPartnerConnector(
        new PartnerHttp(http, new RetryDelays(clock), LinkedInPartnerConnector.TYPE), json, clock);
  }

  @Provides
  @Singleton
  @IntoMap
  @StringKey(MetaPartnerConnector.TYPE)
  static PartnerConnector meta(OkHttpClient http, ObjectMapper json, Clock clock) {
    return new MetaPartnerConnector(
        new PartnerHttp(http, new RetryDelays(clock), MetaPartnerConnector.TYPE), json, clock);
  }

  @Provides
  @Singleton
  @IntoMap
  @StringKey(RecordingPartnerConnector.TYPE)
  static PartnerConnector recording() {
    return new RecordingPartnerConnector();
  }
}
