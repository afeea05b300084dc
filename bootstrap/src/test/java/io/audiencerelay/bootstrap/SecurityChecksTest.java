package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Security rules read from the sources, so that a change that breaks one fails here: secrets,
 * signatures and tokens are compared in constant time, never with {@code equals}; every place that
 * checks a caller's credentials does so with {@code MessageDigest.isEqual}. (The behaviour behind
 * these rules is tested where it lives: the Mapp signature, synced-segment tokens, the admin
 * listener, sealed OAuth states; the bad-input corpus and the fault suite scan answers and logs for
 * the secrets they configured.)
 */
class SecurityChecksTest {
  static final Path ROOT = SourceLayoutTest.ROOT;

  /** {@code secret.equals(…)}, {@code …equals(token)}, {@code signature.equalsIgnoreCase(…)}. */
  static final Pattern SECRET_EQUALS =
      Pattern.compile(
          "(?i)\\b\\w*(secret|token|password|signature|hmac)\\w*(\\(\\))?\\s*\\.\\s*equals(IgnoreCase)?\\("
              + "|\\.equals(IgnoreCase)?\\(\\s*\\w*(secret|token|password|signature|hmac)\\w*(\\(\\))?\\s*\\)");

  static final List<String> CREDENTIAL_CHECKS =
      List.of(
          "adapters-http-in/src/main/java/io/audiencerelay/adapters/http/in/mapp/MappSignature.java",
          "adapters-http-in/src/main/java/io/audiencerelay/adapters/http/in/mapp/MappDiyRoutes.java",
          "adapters-http-in/src/main/java/io/audiencerelay/adapters/http/in/synced/SyncedSegmentRoutes.java",
          "adapters-http-in/src/main/java/io/audiencerelay/adapters/http/in/admin/AdminAccess.java");

  @Test
  void theRuleSeesWhatItLooksFor() {
    assertThat(SECRET_EQUALS.matcher("if (token.equals(given)) {").find()).isTrue();
    assertThat(SECRET_EQUALS.matcher("given.equals(settings.password())").find()).isFalse();
    assertThat(SECRET_EQUALS.matcher("return given.equals(secret);").find()).isTrue();
    assertThat(SECRET_EQUALS.matcher("signature().equalsIgnoreCase(header)").find()).isTrue();
    assertThat(SECRET_EQUALS.matcher("name.equals(other)").find()).isFalse();
  }

  @Test
  void noSecretIsComparedWithEquals() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/"))
              .toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (SECRET_EQUALS.matcher(lines.get(i)).find()) {
            found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(found).as("secrets compared with equals (use MessageDigest.isEqual)").isEmpty();
  }

  @Test
  void everyCredentialCheckIsConstantTime() throws IOException {
    for (String path : CREDENTIAL_CHECKS) {
      assertThat(Files.readString(ROOT.resolve(path))).as(path).contains("MessageDigest.isEqual");
    }
  }
}
