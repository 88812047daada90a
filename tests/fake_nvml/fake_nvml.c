/* A stand-in for libnvidia-ml.so.1 with the few functions co2e calls, configured by environment
 * variables read at nvmlInit:
 *   FAKE_NVML_INIT_ERROR=N   nvmlInit_v2 returns N (e.g. 9: driver not loaded)
 *   FAKE_NVML_GPUS=N         number of GPUs (default 1)
 *   FAKE_NVML_COUNTER=0|1    energy counter supported (default 1; 0: NOT_SUPPORTED, 3)
 *   FAKE_NVML_POWER_MW=N     constant power of every GPU, mW (default 100000)
 *   FAKE_NVML_POWER_ERROR=N  nvmlDeviceGetPowerUsage returns N
 *   FAKE_NVML_PIDS=a,b       compute processes reported on GPU 0 (default none)
 * The energy counter is power × time since nvmlInit, so both methods agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int nvmlReturn_t;
typedef struct fake_device* nvmlDevice_t;
struct fake_device {
  unsigned index;
};
typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlProcessInfo_t;

#define MAX_GPUS 16
static struct fake_device devices[MAX_GPUS];
static unsigned gpu_count = 1;
static int counter_supported = 1;
static unsigned power_mw = 100000;
static int power_error = 0;
static double t0;
static unsigned pids[64];
static unsigned pid_count;

static int env_int(const char* name, int fallback) {
  const char* v = getenv(name);
  return v != NULL && *v != '\0' ? atoi(v) : fallback;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

nvmlReturn_t nvmlInit_v2(void) {
  int err = env_int("FAKE_NVML_INIT_ERROR", 0);
  if (err != 0) return err;
  gpu_count = (unsigned)env_int("FAKE_NVML_GPUS", 1);
  if (gpu_count > MAX_GPUS) gpu_count = MAX_GPUS;
  counter_supported = env_int("FAKE_NVML_COUNTER", 1);
  power_mw = (unsigned)env_int("FAKE_NVML_POWER_MW", 100000);
  power_error = env_int("FAKE_NVML_POWER_ERROR", 0);
  pid_count = 0;
  const char* p = getenv("FAKE_NVML_PIDS");
  while (p != NULL && *p != '\0' && pid_count < 64) {
    pids[pid_count++] = (unsigned)strtoul(p, (char**)&p, 10);
    if (*p == ',') ++p;
  }
  for (unsigned i = 0; i < MAX_GPUS; ++i) devices[i].index = i;
  t0 = now_s();
  return 0;
}

nvmlReturn_t nvmlShutdown(void) { return 0; }

const char* nvmlErrorString(nvmlReturn_t rc) {
  switch (rc) {
    case 0:
      return "Success";
    case 3:
      return "Not Supported";
    case 9:
      return "Driver Not Loaded";
    case 15:
      return "GPU is lost";
    default:
      return "Unknown Error";
  }
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned* count) {
  *count = gpu_count;
  return 0;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned index, nvmlDevice_t* device) {
  if (index >= gpu_count) return 2; /* NVML_ERROR_INVALID_ARGUMENT */
  *device = &devices[index];
  return 0;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned length) {
  snprintf(uuid, length, "GPU-fake-%04u", device->index);
  return 0;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned length) {
  snprintf(name, length, "Fake GPU %u", device->index);
  return 0;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long* energy_mj) {
  (void)device;
  if (!counter_supported) return 3; /* NVML_ERROR_NOT_SUPPORTED */
  /* Starts at a large value, as a real counter does (energy since the driver loaded). */
  *energy_mj = 5000000ULL + (unsigned long long)((double)power_mw * (now_s() - t0));
  return 0;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned* power) {
  (void)device;
  if (power_error != 0) return power_error;
  *power = power_mw;
  return 0;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned* count, nvmlProcessInfo_t* infos) {
  unsigned n = device->index == 0 ? pid_count : 0;
  if (*count < n) {
    *count = n;
    return 7; /* NVML_ERROR_INSUFFICIENT_SIZE */
  }
  for (unsigned i = 0; i < n; ++i) {
    memset(&infos[i], 0, sizeof infos[i]);
    infos[i].pid = pids[i];
  }
  *count = n;
  return 0;
}
