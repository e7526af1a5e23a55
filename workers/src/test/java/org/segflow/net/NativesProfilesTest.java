package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipFile;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.model.Parent;
import org.apache.maven.model.Repository;
import org.apache.maven.model.building.DefaultModelBuilderFactory;
import org.apache.maven.model.building.DefaultModelBuildingRequest;
import org.apache.maven.model.building.FileModelSource;
import org.apache.maven.model.building.ModelBuildingException;
import org.apache.maven.model.building.ModelBuildingRequest;
import org.apache.maven.model.building.ModelSource;
import org.apache.maven.model.resolution.ModelResolver;
import org.apache.maven.model.resolution.UnresolvableModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Builds segflow-workers' effective model as Maven does for another machine (os.name / os.arch as
 * that machine's JVM reports them) and checks which PyTorch natives it bundles. Nothing is
 * downloaded: only POMs already in the local repository are read, and the JNI library each
 * profile needs is looked up in the pytorch-jni jar the build already has.
 */
class NativesProfilesTest {

  private static final Path LOCAL_REPO = Path.of(System.getProperty("maven.repo.local",
      System.getProperty("user.home") + "/.m2/repository"));

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "Linux, amd64, linux-x86_64",
      "Linux, aarch64, linux-aarch64",
      "Mac OS X, aarch64, osx-aarch64"})
  void eachPlatformBundlesItsOwnCpuNatives(String osName, String osArch, String classifier) throws Exception {
    Model model = effectiveModel(osName, osArch, List.of());
    Dependency natives = nativesOf(model).orElseThrow(() -> new AssertionError("no pytorch-native-cpu"));
    assertEquals(classifier, natives.getClassifier());
    assertEquals("2.7.1", natives.getVersion());
    assertEquals("cpu", model.getProperties().getProperty("segflow.natives.flavor"));
    assertTrue(jniLibraries().contains("jnilib/" + classifier + "/cpu/"),
        "pytorch-jni has no CPU JNI library for " + classifier + ": " + jniLibraries());
  }

  @Test
  void cudaBundlesNoCpuNativesAndNamesAFlavourWhoseJniIsInTheJar() throws Exception {
    Model model = effectiveModel("Linux", "amd64", List.of("cuda"));
    assertEquals(Optional.empty(), nativesOf(model), "the CPU natives would shadow a CUDA libtorch");
    String flavor = model.getProperties().getProperty("segflow.natives.flavor");
    assertEquals("cu128", flavor);
    assertTrue(model.getDependencies().stream().anyMatch(d -> d.getArtifactId().equals("pytorch-jni")));
    assertTrue(jniLibraries().contains("jnilib/linux-x86_64/" + flavor + "/"), jniLibraries().toString());
  }

  @Test
  void anUnknownPlatformStillBuildsTheDefaultJarThatSaysAtStartWhatItLacks() throws Exception {
    Model model = effectiveModel("Mac OS X", "x86_64", List.of());
    assertEquals("linux-x86_64", nativesOf(model).orElseThrow().getClassifier());
  }

  private static Optional<Dependency> nativesOf(Model model) {
    return model.getDependencies().stream()
        .filter(d -> d.getArtifactId().equals("pytorch-native-cpu")).findFirst();
  }

  /** The directories of jnilib/ in the pytorch-jni jar of the local repository. */
  private static List<String> jniLibraries() throws IOException {
    Path jar = LOCAL_REPO.resolve("ai/djl/pytorch/pytorch-jni/2.7.1-0.36.0/pytorch-jni-2.7.1-0.36.0.jar");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("jnilib/") && n.endsWith("/") && n.chars().filter(c -> c == '/').count() == 3)
          .toList();
    }
  }

  private static Model effectiveModel(String osName, String osArch, List<String> profiles)
      throws ModelBuildingException {
    Properties system = new Properties();
    system.putAll(System.getProperties());
    system.setProperty("os.name", osName);
    system.setProperty("os.arch", osArch);
    DefaultModelBuildingRequest request = new DefaultModelBuildingRequest()
        .setPomFile(new File("pom.xml").getAbsoluteFile())
        .setSystemProperties(system)
        .setActiveProfileIds(profiles)
        .setValidationLevel(ModelBuildingRequest.VALIDATION_LEVEL_MINIMAL)
        .setProcessPlugins(false)
        .setModelResolver(new LocalRepositoryResolver());
    return new DefaultModelBuilderFactory().newInstance().build(request).getEffectiveModel();
  }

  /** Reads imported BOMs and parents from the local repository; never goes to the network. */
  private static final class LocalRepositoryResolver implements ModelResolver {

    @Override
    public ModelSource resolveModel(String groupId, String artifactId, String version)
        throws UnresolvableModelException {
      Path pom = LOCAL_REPO.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
          .resolve(artifactId + "-" + version + ".pom");
      if (!Files.isRegularFile(pom)) {
        throw new UnresolvableModelException("not in the local repository: " + pom, groupId, artifactId,
            version);
      }
      return new FileModelSource(pom.toFile());
    }

    @Override
    public ModelSource resolveModel(Parent parent) throws UnresolvableModelException {
      return resolveModel(parent.getGroupId(), parent.getArtifactId(), parent.getVersion());
    }

    @Override
    public ModelSource resolveModel(Dependency dependency) throws UnresolvableModelException {
      return resolveModel(dependency.getGroupId(), dependency.getArtifactId(), dependency.getVersion());
    }

    @Override
    public void addRepository(Repository repository) {}

    @Override
    public void addRepository(Repository repository, boolean replace) {}

    @Override
    public ModelResolver newCopy() {
      return this;
    }
  }
}
