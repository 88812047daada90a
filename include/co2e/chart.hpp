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

/// The parts of a footprint, in the order tables and charts show them (and stack them): the
/// energies counted before PUE, the PUE overhead on them, the network energy (no PUE), then the
/// embodied emissions, which are no energy at all (issue 15).
enum class Part : std::uint8_t {
  cpu,           ///< CPU energy before PUE
  gpu,           ///< GPU energy before PUE
  memory,        ///< memory energy before PUE
  known,         ///< an energy measured or given as a whole (--energy, --power, SLURM, co2e run)
  server,        ///< server overhead beyond the chips (--node-power, --nodes), before PUE
  storage,       ///< storage kept for the run (--storage), before PUE
  pue_overhead,  ///< the data centre's share: the parts before PUE × (PUE − 1)
  network,       ///< data moved over networks (--transfer): outside the data centre, no PUE
  embodied,      ///< manufacturing emissions amortised over the run (--embodied): kg CO2e, no energy
};
inline constexpr std::size_t kPartCount = 9;

/// How a part relates to PUE: what its column or legend entry says in every format.
enum class PartBasis : std::uint8_t {
  before_pue,  ///< an energy the PUE multiplies
  pue,         ///< the PUE's own share
  no_pue,      ///< an energy spent outside the data centre
  not_energy,  ///< emissions without an energy (embodied)
};

struct PartInfo {
  Part part;
  std::string_view label;   ///< `CPU`, `GPU`, `memory`, ...
  std::string_view column;  ///< the label in a narrow table column: `known`, `server`, ...
  std::string_view basis;   ///< `before PUE`, `from PUE`, `no PUE`, `manufacturing, amortised`
  std::string_view color;   ///< #RRGGBB, Okabe & Ito's colour-blind-safe palette (2008)
  PartBasis kind = PartBasis::before_pue;
};
/// Every Part, in order.
std::span<const PartInfo> parts();
const PartInfo& part_info(Part p);

/// A quantity per part (kg CO2e in the charts, kWh in the tables).
using PartValues = std::array<double, kPartCount>;

/// The energies of a footprint by part, all runs: before PUE, except `network_kwh` (no PUE).
struct PartEnergies {
  double cpu_kwh = 0, gpu_kwh = 0, memory_kwh = 0, known_kwh = 0, server_kwh = 0, storage_kwh = 0;
  double network_kwh = 0;
};

/// The energy (kWh) of a footprint by part: each part as given, and the PUE overhead as what
/// `energy_kwh` (PUE included) adds beyond them all; the embodied part is 0 (no energy). The
/// parts sum to `energy_kwh` (a facility-scope energy already holds its overhead: then it is 0).
PartValues split_energy(const PartEnergies& e, double energy_kwh);
/// The CO2e of a footprint split into parts: split_energy() weighed by the footprint's own kg
/// CO2e per kWh (co2e_kg / energy_kwh), and the embodied part as `embodied_kg`, so that the parts
/// sum to co2e_kg + embodied_kg: the total_co2e_kg of every output.
PartValues split_co2e(const PartEnergies& e, double energy_kwh, double co2e_kg, double embodied_kg = 0);
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
