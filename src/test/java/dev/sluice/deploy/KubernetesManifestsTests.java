package dev.sluice.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The manifests under deploy/kubernetes stay valid: they parse, the probes answer on this app,
 * the port is the app's, every environment variable they set is one the app reads, resources are
 * set, and the HPA and Service point at the Deployment.
 */
@QuarkusTest
class KubernetesManifestsTests {
    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Map<String, JsonNode> manifests() throws IOException {
        Map<String, JsonNode> byKind = new HashMap<>();
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                JsonNode doc = YAML.readTree(f.toFile());
                assertThat(doc.path("apiVersion").asText())
                        .as("apiVersion of %s", f)
                        .isNotEmpty();
                assertThat(doc.path("kind").asText()).as("kind of %s", f).isNotEmpty();
                byKind.put(doc.get("kind").asText(), doc);
            }
        }
        return byKind;
    }

    /** Every ${NAME or ${NAME:default} environment variable application.properties reads. */
    private static Set<String> envNamesTheAppReads() throws IOException {
        try (InputStream in = KubernetesManifestsTests.class.getResourceAsStream("/application.properties")) {
            String props = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Set<String> names = new HashSet<>();
            Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(props);
            while (m.find()) names.add(m.group(1));
            return names;
        }
    }

    @Test
    void manifestsAreConsistentWithTheApp() throws IOException {
        Map<String, JsonNode> k = manifests();
        assertThat(k)
                .containsKeys(
                        "Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "Kustomization");
        JsonNode deployment = k.get("Deployment");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        String name = deployment.at("/metadata/name").asText();

        // Port: the app's default, named for the probes and the Service.
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(k.get("Service").at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(k.get("Service").at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));
        assertThat(deployment.at("/spec/template/metadata/labels"))
                .isEqualTo(deployment.at("/spec/selector/matchLabels"));

        // Probes: each answers on this app, on the named port.
        Map<String, String> probes = Map.of(
                "livenessProbe",
                "/q/health/live",
                "readinessProbe",
                "/q/health/ready",
                "startupProbe",
                "/q/health/started");
        probes.forEach((probe, path) -> {
            assertThat(container.at("/" + probe + "/httpGet/path").asText())
                    .as(probe)
                    .isEqualTo(path);
            assertThat(container.at("/" + probe + "/httpGet/port").asText())
                    .as(probe)
                    .isEqualTo("http");
            given().get(path).then().statusCode(200);
        });

        // Resources are requested and limited.
        for (String field : List.of("requests/cpu", "requests/memory", "limits/cpu", "limits/memory")) {
            assertThat(container.at("/resources/" + field).asText()).as(field).isNotEmpty();
        }

        // Environment: every variable set is one the app reads (or Quarkus' own profile switch).
        Set<String> known = envNamesTheAppReads();
        known.add("QUARKUS_PROFILE");
        Set<String> set = new HashSet<>();
        k.get("ConfigMap").path("data").fieldNames().forEachRemaining(set::add);
        k.get("Secret").path("stringData").fieldNames().forEachRemaining(set::add);
        container.path("env").forEach(e -> set.add(e.get("name").asText()));
        assertThat(known).as("settings in application.properties").containsAll(set);
        container.path("envFrom").forEach(e -> {
            if (e.has("configMapRef"))
                assertThat(e.at("/configMapRef/name").asText())
                        .isEqualTo(k.get("ConfigMap").at("/metadata/name").asText());
            if (e.has("secretRef"))
                assertThat(e.at("/secretRef/name").asText())
                        .isEqualTo(k.get("Secret").at("/metadata/name").asText());
        });
        // Secrets that must never sit in the ConfigMap.
        assertThat(set).contains("DB_PASSWORD", "APP_ADMIN_PASSWORD", "APP_SECRETS_KEY");
        assertThat(k.get("Secret").path("stringData").has("APP_SECRETS_KEY")).isTrue();
        assertThat(k.get("ConfigMap").path("data").has("DB_PASSWORD")).isFalse();
        assertThat(k.get("ConfigMap").path("data").has("APP_SECRETS_KEY")).isFalse();

        // The keys' mount matches the key locations configured.
        String keyDir = container.at("/volumeMounts/0/mountPath").asText();
        assertThat(k.get("ConfigMap").at("/data/JWT_PUBLIC_KEY_LOCATION").asText())
                .startsWith(keyDir + "/");

        // The HPA scales this Deployment; kustomize applies every manifest except the example Secret.
        assertThat(k.get("HorizontalPodAutoscaler")
                        .at("/spec/scaleTargetRef/name")
                        .asText())
                .isEqualTo(name);
        assertThat(k.get("HorizontalPodAutoscaler").at("/spec/minReplicas").asInt())
                .isGreaterThanOrEqualTo(2);
        List<String> resources = YAML.convertValue(k.get("Kustomization").get("resources"), List.class);
        assertThat(resources)
                .contains("deployment.yaml", "service.yaml", "configmap.yaml", "hpa.yaml")
                .doesNotContain("secret.example.yaml");
        for (String r : resources) assertThat(DIR.resolve(r)).exists();
    }
}
