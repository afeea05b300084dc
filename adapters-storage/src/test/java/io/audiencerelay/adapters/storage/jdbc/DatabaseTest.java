package io.audiencerelay.adapters.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseTest {
  @Test
  void aPostgresqlUrlIsShownWithoutItsParametersWhichMayHoldAPassword() {
    assertThat(
            Database.withoutParameters(
                "jdbc:postgresql://db:5432/relay?user=relay&password=s3cret"))
        .isEqualTo("jdbc:postgresql://db:5432/relay?…")
        .doesNotContain("s3cret");
    assertThat(Database.withoutParameters("jdbc:postgresql://db:5432/relay"))
        .isEqualTo("jdbc:postgresql://db:5432/relay");
  }
}
