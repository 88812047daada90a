// Renderers: pure functions from an EstimateResult to text, JSON or CSV. No computation here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "co2e/data.hpp"
#include "co2e/estimate.hpp"

namespace co2e {

enum class Format { text, json, csv };

/// `text`, `json`, `csv`; anything else is a usage Error listing those.
Result<Format> parse_format(std::string_view text, std::string_view accepted = "text, json, csv");

/// The sentences behind an estimate: defaults applied, rows used (with source and year), notes.
std::vector<std::string> assumptions(const EstimateResult& r, const Dataset& data);

/// The equivalents worth a line of text: those of at least 0.001 of their unit, since smaller ones
/// read as zero (`0.000000000146 tree-months`). JSON keeps them all.
std::vector<Equivalent> text_equivalents(double co2e_g, const Dataset& data);

/// The human report: energy, CO2e, breakdown with shares, PUE overhead, equivalences, assumptions.
std::string render_text(const EstimateResult& r, const Dataset& data);
/// A compact Markdown summary (a two-column table, then the assumptions in a collapsed <details>
/// block), for CI step summaries and pull-request comments (`estimate --format markdown`).
std::string render_markdown(const EstimateResult& r, const Dataset& data);
/// `s` safe inside a Markdown table cell: `|` escaped, line breaks turned into spaces.
std::string markdown_cell(std::string_view s);
/// One JSON document (schema_version 1), documented in docs/cli.md.
std::string render_json(const EstimateResult& r, const Dataset& data);
/// The CSV result columns, in order; batch appends these to the input columns.
const std::vector<std::string_view>& csv_result_columns();
/// The values of csv_result_columns() for one result, already CSV-escaped, joined by `sep`.
std::string csv_result_values(const EstimateResult& r, char sep = ',');
/// The same values appended to `out`: no allocation once `out` has grown (batch, per row).
void append_csv_result_values(std::string& out, const EstimateResult& r, char sep = ',');
/// A header line and a row: render of `estimate --format csv`.
std::string render_csv(const EstimateResult& r);

/// Appends `v` as fmt's "{}" writes it (shortest round-trip form), several times faster.
void append_number(std::string& out, double v);

/// RFC 4180 quoting when `field` holds `sep`, a quote or a line break.
std::string csv_escape(std::string_view field, char sep = ',');

}  // namespace co2e
