// Charts of footprints split into parts: `co2e batch --plot`, `co2e slurm --plot` and the LaTeX
// report's figure. The parts a footprint is split into are one table (parts()), so that a new
// component (embodied emissions, issue 15) is added there and every table and chart shows it.
// The renderers are pure: StackedBars in, standalone SVG or a pgfplots picture out.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace co2e {

/// The parts of a footprint, in the order tables and charts show them.
enum class Part : std::uint8_t {
  cpu,           ///< CPU energy before PUE
  gpu,           ///< GPU energy before PUE
  memory,        ///< memory energy before PUE
  known,         ///< an energy measured or given as a whole (--energy, --power, SLURM, co2e run)
  pue_overhead,  ///< the data centre's share: energy × (PUE − 1) / PUE
};
inline constexpr std::size_t kPartCount = 5;

struct PartInfo {
  Part part;
  std::string_view label;  ///< `CPU`, `GPU`, `memory`, ...
  std::string_view basis;  ///< `before PUE` for IT parts, `PUE overhead` for the facility's share
  std::string_view color;  ///< #RRGGBB, Okabe & Ito's colour-blind-safe palette (2008)
};
/// Every Part, in order.
std::span<const PartInfo> parts();
const PartInfo& part_info(Part p);

/// A quantity per part (kg CO2e in the charts).
using PartValues = std::array<double, kPartCount>;

/// The CO2e of a footprint split into parts: each IT part's energy (before PUE, all runs) weighed
/// by the footprint's own kg CO2e per kWh, and the PUE overhead as what the energy adds beyond
/// them, so that the parts sum to `co2e_kg`.
PartValues split_co2e(double cpu_kwh, double gpu_kwh, double memory_kwh, double known_kwh, double energy_kwh,
                      double co2e_kg);
void add_parts(PartValues& to, const PartValues& from);

/// A bar chart: one bar per category, stacked by part.
struct StackedBars {
  std::string title;                    ///< e.g. "CO2e per model (kg), by component"
  std::string axis;                     ///< the value axis, e.g. "kg CO2e"
  bool horizontal = true;               ///< bars across (groups) or columns up (days)
  std::vector<std::string> categories;  ///< one per bar
  std::vector<PartValues> values;       ///< one per category
  std::vector<bool> no_estimate;        ///< per category (may be empty): drawn as "no estimate", not 0
  std::vector<std::string> notes;       ///< printed under the chart (failed rows, left-out jobs)
};

/// A standalone SVG document (white background, legend, axis with ticks, values at the bars'
/// ends) with the panels one under the other; `title` is the document's <title>.
std::string render_chart_svg(std::span<const StackedBars> panels, std::string_view title);
/// A pgfplots `tikzpicture` (horizontal bars only) sized to the text width, with its colours
/// defined inside: for a figure environment of a document that loads pgfplots.
std::string render_chart_pgfplots(const StackedBars& chart);

/// `text` safe in LaTeX without extra packages; non-ASCII bytes become `?`, line breaks spaces.
std::string tex_escape(std::string_view text);
/// tex_escape(), with break points (`\allowbreak`) after `-_/.:,=` and inside runs of more than 12
/// characters without one, so that long identifiers wrap in narrow columns instead of overflowing.
std::string tex_breakable(std::string_view text);

}  // namespace co2e
