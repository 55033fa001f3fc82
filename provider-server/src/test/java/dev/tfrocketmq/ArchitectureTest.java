package dev.tfrocketmq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package arrows point one way: entry points, then the registration list, then the feature packages, then the
 * shared packages below them, with the framework at the bottom knowing only Terraform. Each test names the rule it
 * enforces; DESIGN.md draws the same picture.
 */
final class ArchitectureTest {
    private static final String ROOT = "dev.tfrocketmq";
    /** The provider class that lists every resource and data source. */
    private static final String REGISTRATION = ROOT + ".provider..";
    /** One package per Terraform type (or pair of types). */
    private static final List<String> FEATURES = List.of(
            ROOT + ".nameserver..",
            ROOT + ".broker..",
            ROOT + ".topic..",
            ROOT + ".cluster..",
            ROOT + ".group..",
            ROOT + ".auth..",
            ROOT + ".proxy..");
    /** What features may share, below them. */
    private static final List<String> SHARED =
            List.of(ROOT + ".process..", ROOT + ".context..", ROOT + ".admin..", ROOT + ".runtime..", ROOT + ".host..");

    private static final String FRAMEWORK = ROOT + ".framework..";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void theFrameworkImportsNoPackageOfTheProductNorRocketMqNorSshj() {
        List<String> forbidden = new ArrayList<>(FEATURES);
        forbidden.addAll(SHARED);
        forbidden.addAll(
                List.of(REGISTRATION, ROOT + ".docs..", "org.apache.rocketmq..", "net.schmizz..", "com.hierynomus.."));
        noClasses()
                .that()
                .resideInAPackage(FRAMEWORK)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .check(CLASSES);
    }

    @Test
    void noFeaturePackageImportsAnotherFeaturePackage() {
        for (String feature : FEATURES) {
            List<String> others =
                    FEATURES.stream().filter(other -> !other.equals(feature)).toList();
            noClasses()
                    .that()
                    .resideInAPackage(feature)
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others.toArray(String[]::new))
                    .because("features share only through the shared packages " + SHARED)
                    .check(CLASSES);
        }
    }

    @Test
    void noUpwardArrowFromTheSharedPackagesToAFeatureOrTheRegistrationList() {
        List<String> above = new ArrayList<>(FEATURES);
        above.add(REGISTRATION);
        noClasses()
                .that()
                .resideInAnyPackage(SHARED.toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(above.toArray(String[]::new))
                .check(CLASSES);
    }

    @Test
    void nothingButTheEntryPointsMainAndRegistryDocsImportsTheRegistrationPackage() {
        noClasses()
                .that()
                .resideOutsideOfPackages(REGISTRATION, ROOT + ".docs..")
                .and()
                .doNotHaveFullyQualifiedName(ROOT + ".Main")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(REGISTRATION)
                .check(CLASSES);
    }

    @Test
    void theLayersFromEntryPointsDownToTheFrameworkAreOnlyEverUsedFromAbove() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Entry points")
                .definedBy(ROOT, ROOT + ".docs..")
                .layer("Registration")
                .definedBy(REGISTRATION)
                .layer("Features")
                .definedBy(FEATURES.toArray(String[]::new))
                .layer("Process resources")
                .definedBy(ROOT + ".process..")
                .layer("Provider context")
                .definedBy(ROOT + ".context..")
                .layer("Services")
                .definedBy(ROOT + ".admin..", ROOT + ".runtime..")
                .layer("Hosts")
                .definedBy(ROOT + ".host..")
                .layer("Framework")
                .definedBy(FRAMEWORK)
                .whereLayer("Entry points")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Registration")
                .mayOnlyBeAccessedByLayers("Entry points")
                .whereLayer("Features")
                .mayOnlyBeAccessedByLayers("Registration")
                .whereLayer("Process resources")
                .mayOnlyBeAccessedByLayers("Registration", "Features")
                .whereLayer("Provider context")
                .mayOnlyBeAccessedByLayers("Registration", "Features", "Process resources")
                .whereLayer("Services")
                .mayOnlyBeAccessedByLayers("Registration", "Features", "Process resources", "Provider context")
                .whereLayer("Hosts")
                .mayOnlyBeAccessedByLayers(
                        "Registration", "Features", "Process resources", "Provider context", "Services")
                .check(CLASSES);
    }
}
