#!/bin/sh
# The image's entrypoint: what bin/segflow does, minus the build. The environment (GLIBC_TUNABLES,
# OMP_WAIT_POLICY, DJL_OFFLINE, ENGINE_CACHE_DIR, SEGFLOW_HOME) comes from the image's ENV lines.
# SEGFLOW_JAVA_OPTS overrides the heap: by default 60% of the container's memory limit, since the
# PyTorch natives allocate outside the heap and a fixed -Xmx would ignore the limit.
# tcmalloc (installed in the image) for the PyTorch natives: less peak memory and slightly faster steps
# than glibc's allocator (see README "Speed"); SEGFLOW_ALLOCATOR=glibc keeps glibc's with GLIBC_TUNABLES.
if [ -z "${LD_PRELOAD:-}" ] && [ "${SEGFLOW_ALLOCATOR:-tcmalloc}" = tcmalloc ]; then
  for lib in /usr/lib/*-linux-gnu/libtcmalloc_minimal.so.4; do
    if [ -e "$lib" ]; then
      export LD_PRELOAD="$lib"
      break
    fi
  done
fi
# shellcheck disable=SC2086
exec java ${SEGFLOW_JAVA_OPTS:--XX:MaxRAMPercentage=60} -jar /opt/segflow/segflow.jar "$@"
