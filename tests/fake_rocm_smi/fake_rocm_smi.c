/* A stand-in for librocm_smi64.so with the few functions co2e calls (rocm_smi/rocm_smi.h
 * signatures), configured by environment variables read at rsmi_init:
 *   FAKE_RSMI_INIT_ERROR=N   rsmi_init returns N (e.g. 8: RSMI_STATUS_INIT_ERROR)
 *   FAKE_RSMI_GPUS=N         number of GPUs (default 1)
 *   FAKE_RSMI_COUNTER=0|1    energy counter supported (default 1; 0: RSMI_STATUS_NOT_SUPPORTED, 2)
 *   FAKE_RSMI_POWER_UW=N     constant average power of every GPU, µW (default 250000000: 250 W)
 *   FAKE_RSMI_RESOLUTION=X   energy counter resolution, µJ per count (default 15.3, as on MI200)
 *   FAKE_RSMI_PIDS=a,b       compute processes on GPU 0 (default none)
 * The energy counter is power × time since rsmi_init / resolution, so both methods agree. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int rsmi_status_t;
typedef struct {
  uint32_t process_id;
  uint32_t pasid;
  uint64_t vram_usage;
  uint64_t sdma_usage;
  uint32_t cu_occupancy;
} rsmi_process_info_t;

static uint32_t gpu_count = 1;
static int counter_supported = 1;
static uint64_t power_uw = 250000000;
static double resolution = 15.3;
static double t0;
static uint32_t pids[64];
static uint32_t pid_count;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char* env(const char* name) {
  const char* v = getenv(name);
  return v != NULL && *v != '\0' ? v : NULL;
}

rsmi_status_t rsmi_init(uint64_t flags) {
  (void)flags;
  if (env("FAKE_RSMI_INIT_ERROR") != NULL) return atoi(env("FAKE_RSMI_INIT_ERROR"));
  gpu_count = env("FAKE_RSMI_GPUS") != NULL ? (uint32_t)atoi(env("FAKE_RSMI_GPUS")) : 1;
  counter_supported = env("FAKE_RSMI_COUNTER") != NULL ? atoi(env("FAKE_RSMI_COUNTER")) : 1;
  power_uw = env("FAKE_RSMI_POWER_UW") != NULL ? strtoull(env("FAKE_RSMI_POWER_UW"), NULL, 10) : 250000000;
  resolution = env("FAKE_RSMI_RESOLUTION") != NULL ? strtod(env("FAKE_RSMI_RESOLUTION"), NULL) : 15.3;
  pid_count = 0;
  const char* p = env("FAKE_RSMI_PIDS");
  while (p != NULL && *p != '\0' && pid_count < 64) {
    pids[pid_count++] = (uint32_t)strtoul(p, (char**)&p, 10);
    if (*p == ',') ++p;
  }
  t0 = now_s();
  return 0;
}

rsmi_status_t rsmi_shut_down(void) { return 0; }

rsmi_status_t rsmi_status_string(rsmi_status_t status, const char** s) {
  switch (status) {
    case 2:
      *s = "RSMI_STATUS_NOT_SUPPORTED";
      return 0;
    case 8:
      *s = "RSMI_STATUS_INIT_ERROR";
      return 0;
    default:
      *s = "RSMI_STATUS_UNKNOWN_ERROR";
      return 0;
  }
}

rsmi_status_t rsmi_num_monitor_devices(uint32_t* n) {
  *n = gpu_count;
  return 0;
}

rsmi_status_t rsmi_dev_name_get(uint32_t dv, char* name, size_t len) {
  if (dv >= gpu_count) return 2;
  snprintf(name, len, "AMD Instinct MI250X (fake)");
  return 0;
}

rsmi_status_t rsmi_dev_unique_id_get(uint32_t dv, uint64_t* id) {
  if (dv >= gpu_count) return 2;
  *id = 0x1000 + dv;
  return 0;
}

rsmi_status_t rsmi_dev_power_ave_get(uint32_t dv, uint32_t sensor, uint64_t* power) {
  if (dv >= gpu_count || sensor != 0) return 2;
  *power = power_uw;
  return 0;
}

rsmi_status_t rsmi_dev_energy_count_get(uint32_t dv, uint64_t* counter, float* res, uint64_t* timestamp) {
  if (dv >= gpu_count || !counter_supported) return 2;
  const double uj = (double)power_uw * (now_s() - t0); /* µW × s = µJ */
  *counter = (uint64_t)(uj / resolution);
  *res = (float)resolution;
  *timestamp = (uint64_t)(now_s() * 1e9);
  return 0;
}

rsmi_status_t rsmi_compute_process_info_get(rsmi_process_info_t* procs, uint32_t* num_items) {
  if (procs == NULL) {
    *num_items = pid_count;
    return 0;
  }
  uint32_t n = *num_items < pid_count ? *num_items : pid_count;
  for (uint32_t k = 0; k < n; ++k) {
    memset(&procs[k], 0, sizeof procs[k]);
    procs[k].process_id = pids[k];
  }
  *num_items = n;
  return 0;
}

rsmi_status_t rsmi_compute_process_gpus_get(uint32_t pid, uint32_t* indices, uint32_t* num) {
  for (uint32_t k = 0; k < pid_count; ++k)
    if (pids[k] == pid) {
      if (*num >= 1) indices[0] = 0; /* every listed process runs on GPU 0 */
      *num = 1;
      return 0;
    }
  return 2;
}
