package org.segflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java rendering of the Kustomize overlays that DeployedTopologyIT runs (CI has no kubectl) gives the
 * same segflow processes as the real {@code kubectl kustomize}, where one is installed.
 */
class KubernetesRenderTest {

  @ParameterizedTest
  @ValueSource(strings = {"deploy/kubernetes/overlays/cpu-only", "deploy/kubernetes/overlays/gpu"})
  void javaRenderingStartsTheProcessesKubectlKustomizeRenders(String overlay) throws Exception {
    DeployFiles files = DeployFiles.load();
    List<ServiceSpec> ours = KubernetesServices.read(files, overlay);
    assertFalse(ours.isEmpty());
    List<JsonNode> kubectl = KubernetesServices.renderWithKubectl(files.root.resolve(overlay));
    Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: only the Java rendering was checked");
    java.util.Comparator<ServiceSpec> byName = java.util.Comparator.comparing(ServiceSpec::name);
    // records: equal names, args (after $(VAR) expansion) and environments
    assertEquals(ours.stream().sorted(byName).toList(),
        KubernetesServices.services(files, kubectl, overlay).stream().sorted(byName).toList());
  }
}
