// A shared library loaded at run time (dlopen), the one owner of its handle: NVML (nvml.cpp) and
// ROCm SMI (rocm_smi.cpp) are read through it, so that co2e needs neither vendor's SDK to build.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "co2e/error.hpp"

namespace co2e::detail {

/// A `dlopen(RTLD_NOW | RTLD_LOCAL)` handle, closed once when destroyed (after the owner's own
/// shutdown call, which runs in the owner's destructor body, before its members go).
class DynamicLibrary {
 public:
  /// Loads `path` (a name the dynamic linker searches for, or a path); the Error is dlerror's text.
  static Result<DynamicLibrary> open(const std::string& path);

  DynamicLibrary() = default;
  DynamicLibrary(DynamicLibrary&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)), path_(std::move(o.path_)) {}
  DynamicLibrary& operator=(DynamicLibrary&& o) noexcept {
    if (this != &o) {
      close();
      handle_ = std::exchange(o.handle_, nullptr);
      path_ = std::move(o.path_);
    }
    return *this;
  }
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;
  ~DynamicLibrary() { close(); }

  [[nodiscard]] explicit operator bool() const { return handle_ != nullptr; }
  [[nodiscard]] const std::string& path() const { return path_; }

  /// Sets `fn` to the first of `names` the library exports (a versioned name first, then its
  /// older one: `nvmlInit_v2`, `nvmlInit`); false, `fn` untouched, when it exports none.
  template <class F>
  bool find(F& fn, std::initializer_list<const char*> names) const {
    for (const char* n : names)
      if (void* sym = symbol(n)) {
        fn = reinterpret_cast<F>(sym);  // NOLINT: the only way from dlsym to a function pointer
        return true;
      }
    return false;
  }

  /// The same for a function co2e cannot do without: the Error names the library and the first
  /// name (`libnvidia-ml.so.1: no symbol nvmlInit_v2`).
  template <class F>
  Status require(F& fn, std::initializer_list<const char*> names) const {
    if (find(fn, names)) return std::nullopt;
    return Error::data(path_ + ": no symbol " + *names.begin());
  }

 private:
  [[nodiscard]] void* symbol(const char* name) const;
  void close() noexcept;

  void* handle_ = nullptr;
  std::string path_;
};

}  // namespace co2e::detail
