// Parsers for the quantities people type: durations, memory sizes, masses, energies, plain numbers.
// Each returns a value in the unit its name says, or an Error whose message quotes the bad text and
// says what is accepted. Callers prefix the flag, column or file.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "co2e/error.hpp"

namespace co2e {

/// Seconds as a double: runtimes can be fractional and very long.
using Seconds = std::chrono::duration<double>;

/// Hours in a duration.
inline double to_hours(Seconds s) { return s.count() / 3600.0; }

/// `90s`, `45m`, `12h`, `2d`, `1d2h30m`, `1.5h`, `01:30:00`, `MM:SS`, SLURM's `2-03:00:00` and
/// `[D-]HH:MM:SS.mmm`. A bare number is refused (it asks for a unit).
Result<Seconds> parse_duration(std::string_view text);

/// SLURM's elapsed-time forms only (`[D-]HH:MM:SS[.mmm]`, `MM:SS[.mmm]`, `D-HH[:MM]`); empty or
/// `Unknown`/`INVALID` is an error. Faster than parse_duration; used by the sacct reader.
Result<Seconds> parse_slurm_duration(std::string_view text);

// Units (docs/cli.md, "Units"). SI prefixes are case-sensitive where they collide: `m` is milli and
// `M` is mega, always, and a unit with an m or M prefix is taken only as written (`mWh`, `MWh`,
// `Mt`); micro is `µ` (U+00B5 or U+03BC) or `u`; `K` is also kilo. Other units may be in any case
// (`kwh`, `KW`, `Kg`). A spelling that matches only when case is ignored and has an m or M
// prefix (`mwh`, `MT`) is an error that names the candidates, never a guess.

/// The largest memory size parse_size_gb accepts, in GB (10^21 bytes: beyond any machine).
inline constexpr double kMaxMemoryGb = 1e12;

/// Memory size in GB (10^9 bytes): `64G`, `64GB`, `512MiB`, `1.5T`, `2048M`, `100K`; a bare number
/// means GB. Binary suffixes (KiB, MiB, GiB, TiB) are converted exactly. Case is free (no bits, no
/// millibytes: `64gb` and `2048m` are GB and MB).
Result<double> parse_size_gb(std::string_view text);

/// Size of data stored or moved (--storage, --transfer) in GB: as parse_size_gb, except that a
/// capital prefix with a small b (`10Gb`, `100Mb`) is refused: for data on a network that spelling
/// means gigabits and megabits, so reading it as bytes would be 8 times too much, silently.
Result<double> parse_data_size_gb(std::string_view text);

/// Mass in grams of CO2e: `300g`, `5kg`, `1.2t`, `133.5 mg`, `2 µg`, `2lb`, `5kgCO2e`; a bare
/// number is refused.
Result<double> parse_mass_g(std::string_view text);

/// Energy in kWh: `5kWh`, `300Wh`, `5mWh`, `1.2MWh`, `2 µWh`, `3.6MJ`, `1000J`; a bare number is
/// refused.
Result<double> parse_energy_kwh(std::string_view text);

/// Power in watts: `300W`, `0.3kW`, `300000mW`; a bare number is watts.
Result<double> parse_power_w(std::string_view text);

/// Power per GB of memory in W/GB: `0.3725W`, `0.3725W/GB`, `372.5mW/GB`, `0.4W/GiB` (converted);
/// a bare number is W/GB.
Result<double> parse_power_w_per_gb(std::string_view text);

/// Emission factor in gCO2e/kWh: `200g/kWh`, `0.2kg/kWh`, `200gCO2e/kWh`, `0.2t/MWh`, `450lb/MWh`;
/// a bare number is gCO2e/kWh.
Result<double> parse_intensity_g_per_kwh(std::string_view text);

/// A finite decimal number (no inf/nan, no trailing junk), e.g. `7.5`, `1e3`.
Result<double> parse_number(std::string_view text);

/// A finite number ≥ 0.
Result<double> parse_non_negative(std::string_view text);

/// A number in [0, 1]; `50%` is accepted as 0.5.
Result<double> parse_fraction(std::string_view text);

/// An integer ≥ `min` (and ≤ `max`): `12`, or a whole number as a decimal or in exponent form
/// (`1e6`, `2.5e3`, up to 2^53); `2.5` is refused.
Result<std::int64_t> parse_integer(std::string_view text, std::int64_t min = 0, std::int64_t max = INT64_MAX);

/// `text` without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

/// A short human form of an energy, 4 significant digits in a unit from µWh to GWh:
/// `2.131 kWh`, `1.507 MWh`, `850 Wh`, `1.937 µWh`; zero is `0 Wh`.
std::string format_energy(double kwh);
/// A short human form of a mass of CO2e, 4 significant digits in a unit from µg to t:
/// `492.5 g`, `652 kg`, `24.7 t`, `133.5 mg`; zero is `0 g`.
std::string format_mass(double grams);
/// A short human form of a duration: `12 h`, `1 d 2 h 30 min`, `45 s`.
std::string format_duration(Seconds s);
/// A number with `digits` significant digits and no trailing zeros: 2.1310848 → `2.13`.
std::string format_sig(double value, int digits = 3);

}  // namespace co2e
