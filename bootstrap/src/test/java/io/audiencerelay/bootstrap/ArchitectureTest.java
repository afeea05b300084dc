package io.audiencerelay.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import io.audiencerelay.application.port.out.PartnerConnector;
import io.helidon.webserver.http.HttpService;
import org.junit.jupiter.api.Test;

/** The hexagon's rules, checked on the compiled production classes of every module. */
class ArchitectureTest {
  static final String ROOT = "io.audiencerelay";
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // The modules' test-jars (fakes, contracts) are on this classpath too; they are not
          // production code.
          .withImportOption(location -> !location.asURI().toString().contains("-tests.jar"))
          .importPackages(ROOT);

  @Test
  void theHexagonPointsInwards() {
    Architectures.onionArchitecture()
        .domainModels(ROOT + ".domain..")
        .domainServices(ROOT + ".application.port..")
        .applicationServices(ROOT + ".application.service..", ROOT + ".application.delivery..")
        .adapter("http-in", ROOT + ".adapters.http.in..")
        .adapter("partners", ROOT + ".adapters.partner..")
        .adapter("platform", ROOT + ".adapters.platform..")
        .adapter("storage", ROOT + ".adapters.storage..")
        .withOptionalLayers(true)
        // The composition root calls every adapter's constructor: that is its job.
        .ignoreDependency(
            JavaClass.Predicates.resideInAPackage(ROOT + ".bootstrap.."),
            DescribedPredicate.alwaysTrue())
        .check(CLASSES);
  }

  @Test
  void theDomainUsesOnlyTheJdk() {
    classes()
        .that()
        .resideInAPackage(ROOT + ".domain..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(ROOT + ".domain..", "java..")
        .check(CLASSES);
  }

  @Test
  void theApplicationUsesOnlyTheDomainAndTheJdk() {
    classes()
        .that()
        .resideInAPackage(ROOT + ".application..")
        .should()
        .onlyDependOnClassesThat()
        // javax.crypto is the JDK's own AES-GCM, which seals OAuth states.
        .resideInAnyPackage(ROOT + ".domain..", ROOT + ".application..", "java..", "javax.crypto..")
        .check(CLASSES);
  }

  @Test
  void nothingButBootstrapKnowsBootstrapOrDagger() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".bootstrap..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".bootstrap..", "dagger..", "jakarta.inject..", "javax.inject..")
        .check(CLASSES);
  }

  @Test
  void partnersLiveInTheirOwnPackageAndSayWhatTheyAre() {
    classes()
        .that()
        .implement(PartnerConnector.class)
        .should()
        .resideInAPackage(ROOT + ".adapters.partner..")
        .andShould()
        .haveSimpleNameEndingWith("PartnerConnector")
        .check(CLASSES);
  }

  @Test
  void onlyTheInboundAdapterServesHttp() {
    classes()
        .that()
        .implement(HttpService.class)
        .should()
        .resideInAPackage(ROOT + ".adapters.http.in..")
        .check(CLASSES);
  }

  @Test
  void wireFormatsStayInsideTheirAdapter() {
    noClasses()
        .that()
        .resideInAnyPackage(ROOT + ".domain..", ROOT + ".application..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml..", "okhttp3..", "io.helidon..")
        .check(CLASSES);
  }

  @Test
  void theApplicationsFeaturesDependOnEachOtherWithoutCycles() {
    // One slice per package: service.auth, service.routing, delivery, port.in...
    slices().matching(ROOT + ".application.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void eachInboundProtocolStandsAloneOnTheSharedServerPieces() {
    slices()
        .matching(ROOT + ".adapters.http.in.(*)..")
        .should()
        .notDependOnEachOther()
        .check(CLASSES);
  }

  @Test
  void partnersShareOnlyTheirClient() {
    slices()
        .matching(ROOT + ".adapters.partner.(*)..")
        .should()
        .notDependOnEachOther()
        .ignoreDependency(
            DescribedPredicate.alwaysTrue(),
            JavaClass.Predicates.resideInAPackage(ROOT + ".adapters.partner.client.."))
        .check(CLASSES);
  }

  @Test
  void theStoresShareOnlyTheDatabase() {
    slices()
        .matching(ROOT + ".adapters.storage.(*)..")
        .should()
        .notDependOnEachOther()
        .ignoreDependency(
            DescribedPredicate.alwaysTrue(),
            JavaClass.Predicates.resideInAPackage(ROOT + ".adapters.storage.jdbc.."))
        .check(CLASSES);
  }

  @Test
  void outboundPortsAndTheirAdaptersSpeakTheirOwnTypes() {
    noClasses()
        .that()
        .resideInAnyPackage(
            ROOT + ".application.port.out..",
            ROOT + ".adapters.partner..",
            ROOT + ".adapters.platform..",
            ROOT + ".adapters.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".application.port.in..")
        .check(CLASSES);
  }
}
