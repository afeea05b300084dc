package io.audiencerelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What ArchUnit cannot see in compiled classes: every production package says what it is for, and a
 * long class says why it is long.
 */
class SourceLayoutTest {
  /** The repository: this test runs in the bootstrap module's directory. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static final int LONG_CLASS_LINES = 400;

  /** The phrase a long class's comment uses to give its reason. */
  static final String REASON = "Long because";

  @Test
  void everyProductionPackageHasAPackageInfo() {
    List<Path> packages =
        productionSources()
            .map(Path::getParent)
            .distinct()
            .filter(dir -> !Files.exists(dir.resolve("package-info.java")))
            .toList();

    assertThat(packages).as("packages without a package-info.java").isEmpty();
  }

  @Test
  void aClassOverFourHundredLinesSaysWhyAtItsTop() {
    List<String> unexplained =
        productionSources()
            .filter(file -> lines(file).size() > LONG_CLASS_LINES)
            .filter(file -> lines(file).stream().limit(80).noneMatch(l -> l.contains(REASON)))
            .map(file -> ROOT.relativize(file) + " (" + lines(file).size() + " lines)")
            .toList();

    assertThat(unexplained)
        .as("classes over %d lines whose top comment has no '%s ...'", LONG_CLASS_LINES, REASON)
        .isEmpty();
  }

  private static Stream<Path> productionSources() {
    try (Stream<Path> modules = Files.list(ROOT)) {
      return modules
          .map(module -> module.resolve("src/main/java"))
          .filter(Files::isDirectory)
          .flatMap(SourceLayoutTest::javaFiles)
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> javaFiles(Path tree) {
    try (Stream<Path> files = Files.walk(tree)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
