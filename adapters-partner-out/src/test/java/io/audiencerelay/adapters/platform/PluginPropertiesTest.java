package io.audiencerelay.adapters.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.audiencerelay.domain.FeedProperties;
import io.audiencerelay.domain.FeedProperty;
import org.junit.jupiter.api.Test;

class PluginPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FeedProperties read(String json) throws Exception {
    return PluginProperties.read(JSON.readTree(json));
  }

  @Test
  void everyTypeThePlatformSendsIsReadAsItsType() throws Exception {
    // The shapes of the gateway's GET /v1/audience_segment_external_feeds/{id}/properties.
    FeedProperties properties =
        read(
            """
            [{"technical_name":"ad_account_id","property_type":"STRING","value":{"value":"act_991"},
              "origin":"INSTANCE","writable":true,"deletable":false},
             {"technical_name":"api_endpoint","property_type":"URL","value":{"url":"https://api.partner.example/v2"}},
             {"technical_name":"batch_size","property_type":"INT","value":{"value":500}},
             {"technical_name":"match_rate","property_type":"DOUBLE","value":{"value":0.75}},
             {"technical_name":"hash_emails","property_type":"BOOLEAN","value":{"value":true}},
             {"technical_name":"logo","property_type":"ASSET",
              "value":{"asset_id":"12","file_path":"/1185/logo.png","original_file_name":"logo.png"}},
             {"technical_name":"mapping_file","property_type":"DATA_FILE",
              "value":{"uri":"mics://data_file/tenants/1185/plugins_conf/acme_mapping.json","last_modified":1717000000000}},
             {"technical_name":"layout","property_type":"AD_LAYOUT","value":{"id":"3","version":"1"}}]
            """);

    assertThat(properties.typed())
        .containsEntry("ad_account_id", new FeedProperty.Text("act_991"))
        .containsEntry("api_endpoint", new FeedProperty.Link("https://api.partner.example/v2"))
        .containsEntry("batch_size", new FeedProperty.WholeNumber(500))
        .containsEntry("match_rate", new FeedProperty.Decimal(0.75))
        .containsEntry("hash_emails", new FeedProperty.Flag(true))
        .containsEntry("logo", new FeedProperty.Asset("ASSET", "12", "/1185/logo.png", "logo.png"))
        .containsEntry(
            "mapping_file",
            new FeedProperty.DataFile(
                "mics://data_file/tenants/1185/plugins_conf/acme_mapping.json", 1717000000000L))
        .containsEntry("layout", new FeedProperty.Other("AD_LAYOUT"));
    assertThat(properties.get("ad_account_id")).contains("act_991");
    assertThat(properties.get("batch_size")).contains("500");
    assertThat(properties.get("layout")).isEmpty();
    assertThat(properties.get("batch_size", FeedProperty.WholeNumber.class))
        .contains(new FeedProperty.WholeNumber(500));
  }

  @Test
  void absentAndNullValuesLeaveThePropertyOut() throws Exception {
    FeedProperties properties =
        read(
            """
            [{"technical_name":"a","property_type":"STRING","value":{"value":null}},
             {"technical_name":"b","property_type":"INT","value":{}},
             {"technical_name":"c","property_type":"URL","value":null},
             {"technical_name":"d","property_type":"DATA_FILE","value":{"uri":null,"last_modified":null}}]
            """);

    assertThat(properties.typed()).isEmpty();
    assertThat(properties.get("a", FeedProperty.Text.class)).isEmpty();
  }

  @Test
  void aValueThatDoesNotFitItsTypeIsKeptWithAReasonThatNamesIt() throws Exception {
    FeedProperties properties =
        read(
            """
            [{"technical_name":"batch_size","property_type":"INT","value":{"value":"five hundred"}},
             {"technical_name":"ratio","property_type":"INT","value":{"value":2.5}},
             {"technical_name":"enabled","property_type":"BOOLEAN","value":{"value":"yes"}},
             {"technical_name":"name","property_type":"STRING","value":{"value":42}},
             {"technical_name":"ad_account_id","property_type":"STRING","value":{"value":"act_1"}}]
            """);

    assertThat(properties.typed().get("batch_size"))
        .isEqualTo(
            new FeedProperty.Unreadable("INT", "value \"five hundred\" is not a whole number"));
    assertThat(properties.typed().get("ratio")).isInstanceOf(FeedProperty.Unreadable.class);
    assertThat(properties.typed().get("enabled")).isInstanceOf(FeedProperty.Unreadable.class);
    assertThat(properties.typed().get("name"))
        .isEqualTo(new FeedProperty.Unreadable("STRING", "value is number, expected text"));
    assertThatThrownBy(() -> properties.get("batch_size", FeedProperty.WholeNumber.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "feed property 'batch_size' (INT): value \"five hundred\" is not a whole number");
    assertThatThrownBy(() -> properties.get("ad_account_id", FeedProperty.WholeNumber.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("feed property 'ad_account_id' is STRING, expected INT");
  }

  @Test
  void aGatewayThatSendsNoTypeIsReadAsText() throws Exception {
    FeedProperties properties =
        read(
            """
            [{"technical_name":"destination","value":{"value":"meta"}},
             {"technical_name":"endpoint","value":{"url":"https://x"}}]
            """);

    assertThat(properties.get("destination")).contains("meta");
    assertThat(properties.get("endpoint")).contains("https://x");
  }
}
