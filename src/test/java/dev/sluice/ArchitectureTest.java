package dev.sluice;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph and the layering rules of the README's Development section, checked on the
 * compiled main classes (plain JUnit: no Quarkus, no services). A failure names each offending
 * dependency; fix the code rather than widen an exception list.
 */
class ArchitectureTest {
    private static final String[] SQL_CLIENT = {"io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient.."};
    private static final String[] HTTP = {"jakarta.ws.rs..", "io.vertx.ext.web.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.sluice");
    }

    @Test
    void featurePackagesDependOnEachOtherWithoutCycles() {
        slices().matching("dev.sluice.(*)..")
                .namingSlices("$1")
                .should()
                .beFreeOfCycles()
                .because("a package must be understandable (and changeable) without the ones that depend on it")
                .check(main);
    }

    @Test
    void sharedPackagesDependOnNoFeature() {
        String[] shared = {"dev.sluice.common..", "dev.sluice.security.."};
        noClasses()
                .that()
                .resideInAnyPackage(shared)
                .should()
                .dependOnClassesThat(resideInAPackage("dev.sluice..").and(not(resideInAnyPackage(shared))))
                .because("every feature may use common and security, so they can use none of them")
                .check(main);
    }

    @Test
    void onlyTheHttpLayerKnowsResources() {
        noClasses()
                .that(not(partOf("Resource")))
                .should()
                .dependOnClassesThat(partOf("Resource"))
                .because("resources are entry points: services, jobs and helpers are called by them, never the reverse")
                .check(main);
    }

    @Test
    void servicesAndResourcesUseNoSqlClient() {
        noClasses()
                .that(partOf("Service", "Resource"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SQL_CLIENT)
                .because(
                        "set-based and hot-path SQL lives in *Sql and *Reads classes, entity CRUD in Panache repositories")
                .check(main);
    }

    @Test
    void servicesAndResourcesWriteNoNativeQueries() {
        noClasses()
                .that(partOf("Service", "Resource"))
                .should()
                .callMethodWhere(DescribedPredicate.describe(
                        "a native query is created", call -> call.getName().equals("createNativeQuery")))
                .because("SQL written by hand belongs in a repository, a *Sql or a *Reads class")
                .check(main);
    }

    @Test
    void dataAccessAndServicesUseNoHttpTypes() {
        noClasses()
                .that(partOf("Service", "Sql", "Reads", "Repository"))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(HTTP)
                .because("HTTP is the resources' concern; services and data access serve the API and the jobs alike")
                .check(main);
    }

    /** The class, or the class it is nested in, is named with one of the suffixes (so records and lambdas inside count too). */
    private static DescribedPredicate<JavaClass> partOf(String... suffixes) {
        return DescribedPredicate.describe("part of a *" + String.join(", *", suffixes) + " class", c -> {
            String name = topLevel(c).getSimpleName();
            return Arrays.stream(suffixes).anyMatch(name::endsWith);
        });
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }
}
