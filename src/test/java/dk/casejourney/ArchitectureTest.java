package dk.casejourney;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dk.casejourney.common.Identifiers;
import dk.casejourney.journey.api.CaseEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.UUID;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The rules the codebase keeps: package by feature, controllers on gateways only, clock-free aggregates. */
@AnalyzeClasses(packages = "dk.casejourney", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule controllersOnlyTalkToGateways = noClasses()
            .that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().areAssignableTo(DataSource.class)
            .orShould().dependOnClassesThat().resideInAPackage("org.springframework.jdbc..")
            .orShould().dependOnClassesThat().resideInAPackage("org.axonframework.eventsourcing..")
            .orShould().dependOnClassesThat().areAnnotatedWith(ProcessingGroup.class)
            .orShould().dependOnClassesThat().areAnnotatedWith(Aggregate.class)
            .because("controllers only talk to the command and query gateways");

    @ArchTest
    static final ArchRule aggregatesReadNoClockAndNoRandomness = noClasses()
            .that().areAnnotatedWith(Aggregate.class)
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDate.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(OffsetDateTime.class, "now")
            .orShould().callMethod(ZonedDateTime.class, "now")
            .orShould().callMethod(UUID.class, "randomUUID")
            .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
            .orShould().dependOnClassesThat().areAssignableTo(Random.class)
            .because("time and ids come in with the command, so replays decide the same way");

    @ArchTest
    static final ArchRule randomIdsComeFromIdentifiers = noClasses()
            .that().doNotHaveFullyQualifiedName(Identifiers.class.getName())
            .and().resideOutsideOfPackage("dk.casejourney.privacy..")
            .should().callMethod(UUID.class, "randomUUID")
            .because("about one random UUID in 2,500 holds a CPR-shaped number, which the ledger refuses in every "
                    + "identifier, key and path it is sent: an id handed out that way could not be sent back "
                    + "(Identifiers draws ids without one; privacy, below common, names its citizen keys with "
                    + "ids no client sends)");

    @ArchTest
    static final ArchRule eventsAreRevisioned = classes()
            .that().areAssignableTo(CaseEvent.class).and().areNotInterfaces()
            .should().beAnnotatedWith(Revision.class)
            .because("events are permanent: every stored shape has a revision an upcaster can name");

    @ArchTest
    static final ArchRule apiPackagesDependOnNoInternals = classes()
            .that().resideInAPackage("dk.casejourney.(*).api..")
            .should().onlyDependOnClassesThat(resideInAnApiPackageOrOutsideTheProduct())
            .because("a feature's api is its public language; internals may change freely");

    @ArchTest
    static final ArchRule featureInternalsArePackagePrivate = classes()
            .that().resideInAnyPackage("dk.casejourney.journey", "dk.casejourney.evaluation", "dk.casejourney.audit",
                                       "dk.casejourney.citizens", "dk.casejourney.importexport",
                                       "dk.casejourney.simulation", "dk.casejourney.web",
                                       "dk.casejourney.operations")
            .and().areTopLevelClasses()
            .should().notHaveModifier(JavaModifier.PUBLIC)
            .because("other features use a feature only through its api package");

    @ArchTest
    static final ArchRule commonKnowsNoFeature = noClasses()
            .that().resideInAnyPackage("dk.casejourney.common..", "dk.casejourney.calendar..")
            .should().dependOnClassesThat().resideInAnyPackage("dk.casejourney.journey..",
                                                               "dk.casejourney.evaluation..",
                                                               "dk.casejourney.audit..",
                                                               "dk.casejourney.citizens..",
                                                               "dk.casejourney.importexport..",
                                                               "dk.casejourney.simulation..",
                                                               "dk.casejourney.operations..",
                                                               "dk.casejourney.security..",
                                                               "dk.casejourney.web..")
            .because("shared infrastructure must not grow a dependency on a feature");

    @ArchTest
    static final ArchRule pagesOnlyTalkToGateways = noClasses()
            .that().resideInAPackage("dk.casejourney.web..")
            .should().dependOnClassesThat().areAssignableTo(DataSource.class)
            .orShould().dependOnClassesThat().resideInAPackage("org.springframework.jdbc..")
            .orShould().dependOnClassesThat().resideInAPackage("org.axonframework.eventsourcing..")
            .orShould().dependOnClassesThat().areAnnotatedWith(ProcessingGroup.class)
            .orShould().dependOnClassesThat().areAnnotatedWith(Aggregate.class)
            .because("the pages are clients of the same command and query gateways as the JSON API");

    @ArchTest
    static final ArchRule pagesUseOtherFeaturesOnlyThroughTheirApi = classes()
            .that().resideInAPackage("dk.casejourney.web..")
            .should().onlyDependOnClassesThat(resideInAnApiPackageOrOutsideTheProductOr("dk.casejourney.web"))
            .because("the pages know the features only by their public language, never by a second way to "
                    + "compute a figure");

    @ArchTest
    static final ArchRule noFeatureDependsOnThePages = noClasses()
            .that().resideOutsideOfPackage("dk.casejourney.web..")
            .should().dependOnClassesThat().resideInAPackage("dk.casejourney.web..")
            .because("the pages are a client of the product, not a part the product needs");

    @ArchTest
    static final ArchRule featuresAreFreeOfCycles = slices().matching("dk.casejourney.(*)..")
                                                            .should().beFreeOfCycles();

    private static DescribedPredicate<JavaClass> resideInAnApiPackageOrOutsideTheProductOr(String own) {
        DescribedPredicate<JavaClass> api = resideInAnApiPackageOrOutsideTheProduct();
        return new DescribedPredicate<>("reside in an api package, common, " + own + " or outside the product") {
            @Override
            public boolean test(JavaClass target) {
                return api.test(target) || target.getPackageName().startsWith(own);
            }
        };
    }

    private static DescribedPredicate<JavaClass> resideInAnApiPackageOrOutsideTheProduct() {
        return new DescribedPredicate<>("reside in an api package, common, or outside the product") {
            @Override
            public boolean test(JavaClass target) {
                String name = target.getPackageName();
                return !name.startsWith("dk.casejourney.") || name.contains(".api")
                        || name.startsWith("dk.casejourney.common");
            }
        };
    }
}
