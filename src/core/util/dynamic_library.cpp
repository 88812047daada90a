// dlopen / dlsym / dlclose behind one owner (dynamic_library.hpp).
#include "util/dynamic_library.hpp"

#include <dlfcn.h>

namespace co2e::detail {

Result<DynamicLibrary> DynamicLibrary::open(const std::string& path) {
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* e = ::dlerror();
    return Error::data(e != nullptr ? std::string(e) : path + ": cannot be loaded");
  }
  DynamicLibrary lib;
  lib.handle_ = h;
  lib.path_ = path;
  return lib;
}

void* DynamicLibrary::symbol(const char* name) const { return handle_ != nullptr ? ::dlsym(handle_, name) : nullptr; }

void DynamicLibrary::close() noexcept {
  if (handle_ != nullptr) ::dlclose(handle_);
  handle_ = nullptr;
}

}  // namespace co2e::detail
