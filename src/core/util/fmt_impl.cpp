// fmt's compiled part, built once into co2e instead of into every translation unit.
//
// co2e ships one self-contained binary, so it cannot link Debian's shared libfmt.so, and Debian has
// no static libfmt.a. It used to define FMT_HEADER_ONLY, which compiles fmt's implementation
// (format-inl.h) in each of the ~110 translation units: about 3.8 s of GCC -O2 and 2.8 s of Clang
// per file, most of CI's build time. This file is what fmt's own src/format.cc does: include the
// implementation once and instantiate, for char and wchar_t, the templates that fmt/format.h
// declares `extern` when FMT_HEADER_ONLY is not defined. It is pinned to fmt 9.1 (Debian 12's
// libfmt-dev); another fmt release gets a clear error here instead of a link error elsewhere.
#include <fmt/core.h>

#if FMT_VERSION < 90000 || FMT_VERSION >= 100000
#error "src/core/util/fmt_impl.cpp instantiates fmt 9.x's compiled part: check fmt's src/format.cc for this release"
#endif

#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

#ifndef FMT_STATIC_THOUSANDS_SEPARATOR
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
#endif

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view, basic_format_args<FMT_BUFFER_CONTEXT(char)>, locale_ref);

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
template FMT_API void buffer<wchar_t>::append(const wchar_t*, const wchar_t*);

}  // namespace detail
FMT_END_NAMESPACE
