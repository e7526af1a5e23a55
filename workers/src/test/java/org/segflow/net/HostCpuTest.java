package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostCpuTest {

  @Test
  void theCpuLineCarriesModelAndVectorFlags() {
    String cpuinfo = """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC 7B13
        flags\t\t: fpu vme sse4_2 avx2 fma avx512f avx512_bf16 tsc
        
        processor\t: 1
        model name\t: other
        flags\t\t: fpu
        """;
    HostCpu cpu = HostCpu.parseCpuinfo(cpuinfo, 2, "linux-x86_64");
    assertEquals("AMD EPYC 7B13", cpu.model());
    assertEquals(List.of("sse4_2", "avx2", "fma", "avx512f", "avx512_bf16"), cpu.flags());
    assertEquals("AMD EPYC 7B13, 2 cores, flags sse4_2 avx2 fma avx512f avx512_bf16 (linux-x86_64)", cpu.describe());
    HostCpu arm = HostCpu.parseCpuinfo("processor : 0\nFeatures : fp asimd sve\nCPU part : 0xd0c\n", 4,
        "linux-aarch64");
    assertEquals("0xd0c", arm.model());
    assertEquals(List.of("asimd", "sve"), arm.flags());
    assertEquals("unknown", HostCpu.parseCpuinfo("", 1, "x").model());
  }

  @Test
  void nativeBFloat16IsAvx512Bf16OrAmx() {
    assertTrue(HostCpu.parseCpuinfo("flags : avx2 avx512f avx512_bf16\n", 2, "linux-x86_64").hasNativeBFloat16());
    assertTrue(HostCpu.parseCpuinfo("flags : avx2 amx_tile amx_bf16\n", 2, "linux-x86_64").hasNativeBFloat16());
    assertFalse(HostCpu.parseCpuinfo("flags : avx2 avx512f avx512bw\n", 2, "linux-x86_64").hasNativeBFloat16());
    // ARM's bf16 is left to fp32: oneDNN's ARM kernels are not the ones measured here
    assertFalse(HostCpu.parseCpuinfo("Features : fp asimd bf16\n", 4, "linux-aarch64").hasNativeBFloat16());
  }
}
