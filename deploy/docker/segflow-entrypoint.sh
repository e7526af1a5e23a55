#!/bin/sh
# The image's entrypoint: what bin/segflow does, minus the build. The environment (GLIBC_TUNABLES,
# OMP_WAIT_POLICY, DJL_OFFLINE, ENGINE_CACHE_DIR, SEGFLOW_HOME) comes from the image's ENV lines.
# SEGFLOW_JAVA_OPTS overrides the heap: by default 60% of the container's memory limit, since the
# PyTorch natives allocate outside the heap and a fixed -Xmx would ignore the limit.
# shellcheck disable=SC2086
exec java ${SEGFLOW_JAVA_OPTS:--XX:MaxRAMPercentage=60} -jar /opt/segflow/segflow.jar "$@"
