package org.segflow.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.segflow.Futures;
import org.segflow.InvalidInputException;
import org.segflow.io.PngWriter;
import org.segflow.storage.AtomicFiles;

/**
 * Generates the bundled synthetic retinal fundus dataset in the users' layout:
 * {@code <out>/crop_train/<n>/{image,label,mask}.png} and the same under {@code crop_test}
 * (with labels, so tests can score Dice). Every case is a pure function of (seed, split, index):
 * same seed, same bytes, whatever the number of threads.
 */
public final class FundusSampleGenerator {

  public static final String IMAGE_FILE = "image.png";
  public static final String LABEL_FILE = "label.png";
  public static final String MASK_FILE = "mask.png";

  /** Rough peak working memory of one case per pixel (float maps, buffers, PNG bytes). */
  private static final long BYTES_PER_PIXEL = 48;

  private FundusSampleGenerator() {}

  /** Writes the dataset to {@code out}, which must not exist or be an empty folder. */
  public static void generate(Path out, SampleSpec spec) {
    generate(out, spec, false);
  }

  /**
   * Writes the dataset to {@code out}. The folder is built under a temporary name and renamed
   * when complete, so {@code out} is either the old content or the whole new dataset.
   *
   * @param overwrite replace a non-empty {@code out}; without it a non-empty folder is refused
   */
  public static void generate(Path out, SampleSpec spec, boolean overwrite) {
    generate(out, spec, overwrite, 0);
  }

  /** As above with a given number of worker threads (0 = one per core); the bytes never depend on it. */
  static void generate(Path out, SampleSpec spec, boolean overwrite, int threads) {
    checkTarget(out, overwrite);
    AtomicFiles.publishDirectory(out, tmp -> writeAll(tmp, spec, threads));
  }

  /** One case in memory, identical to what {@link #generate} writes for it. */
  public static SampleCase generateCase(SampleSpec spec, SampleSplit split, int index) {
    int count = spec.cases(split);
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "case " + index + " is outside " + split.folder() + " (0.." + (count - 1) + ")");
    }
    return render(spec.height(), spec.width(), CaseSeeds.forCase(spec.seed(), split, index));
  }

  private static SampleCase render(int height, int width, SplittableRandom rnd) {
    FundusGeometry geometry = FundusGeometry.sample(height, width, rnd.split());
    CaseStyle style = CaseStyle.sample(geometry, rnd.split());
    SplittableRandom vesselRnd = rnd.split();
    SplittableRandom lesionRnd = rnd.split();
    SplittableRandom renderRnd = rnd.split();
    byte[] mask = geometry.fovMask();
    VesselNetwork vessels = VesselNetwork.build(geometry, style, mask, vesselRnd);
    float[] dark = new float[height * width];
    float[] bright = new float[height * width];
    new LesionPainter(geometry, lesionRnd, dark, bright).paint();
    byte[] rgb = new FundusRenderer(geometry, style).render(mask, vessels, dark, bright, renderRnd);
    return new SampleCase(height, width, rgb, vessels.label(), mask);
  }

  private static void checkTarget(Path out, boolean overwrite) {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new InvalidInputException(out, "sample output exists and is not a folder");
    }
    if (overwrite) {
      return;
    }
    try (Stream<Path> entries = Files.list(out)) {
      if (entries.findAny().isPresent()) {
        throw new InvalidInputException(out,
            "sample output folder is not empty; choose a new or empty folder, or allow overwriting");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + out, e);
    }
  }

  private static void writeAll(Path root, SampleSpec spec, int threads) throws IOException {
    List<Runnable> tasks = new ArrayList<>();
    for (SampleSplit split : SampleSplit.values()) {
      int count = spec.cases(split);
      if (count == 0) {
        continue;
      }
      Files.createDirectories(root.resolve(split.folder()));
      for (int n = 0; n < count; n++) {
        int index = n;
        tasks.add(() -> writeCase(root.resolve(split.folder()).resolve(Integer.toString(index)),
            generateCase(spec, split, index)));
      }
    }
    runBounded(tasks, threads > 0 ? Math.min(threads, tasks.size()) : threads(spec, tasks.size()));
  }

  /** As many threads as cores, fewer when the cases are so large that memory would run short. */
  private static int threads(SampleSpec spec, int tasks) {
    long perCase = BYTES_PER_PIXEL * spec.height() * spec.width();
    long byMemory = Math.max(1, Runtime.getRuntime().maxMemory() / 2 / perCase);
    int cores = Runtime.getRuntime().availableProcessors();
    return (int) Math.max(1, Math.min(Math.min(cores, tasks), byMemory));
  }

  private static void runBounded(List<Runnable> tasks, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "segflow-sample");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable task : tasks) {
        futures.add(pool.submit(task));
      }
      for (Future<?> f : futures) {
        Futures.join(f, "sample generation");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void writeCase(Path dir, SampleCase c) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(IMAGE_FILE), PngWriter.encodeInterleaved8(c.width(), c.height(), 3, c.rgb()));
      Files.write(dir.resolve(LABEL_FILE), PngWriter.encodeInterleaved8(c.width(), c.height(), 1, c.label()));
      Files.write(dir.resolve(MASK_FILE), PngWriter.encodeInterleaved8(c.width(), c.height(), 1, c.mask()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write sample case " + dir, e);
    }
  }
}
