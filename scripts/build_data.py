#!/usr/bin/env python3
"""Build co2e's bundled data tables (data/*.json) from public reference data.

Usage:  python3 scripts/build_data.py [REFERENCE_DIR]
        (default: ../shared/reference relative to the repository root)

Reads the upstream reference files (CodeCarbon, carbontracker, Green Algorithms,
mlco2/impact, experiment-impact-tracker; see data/SOURCES.md for commits and
licences) plus the small hand-curated lists in this file, and writes co2e's own
schema (docs/data-schema.md): one JSON object per file, one row per line.

Only the Python standard library is used. The script validates every table
(required fields, types, provenance, unique keys, cloud-region locations) and
exits non-zero if anything is wrong.
"""

import csv
import json
import os
import re
import sys
from collections import Counter, OrderedDict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "data")

# --------------------------------------------------------------------------
# Licences and citations
# --------------------------------------------------------------------------
CC_BY = "CC-BY-4.0"
GA = "Green Algorithms v3.0 (CC BY 4.0, Lannelongue et al. 2021, doi:10.1002/advs.202100707)"
GA_VIA = "via Green Algorithms v3.0 (CC BY 4.0): "
OWID = "Our World in Data / Ember, Carbon intensity of electricity (CC BY 4.0) https://ourworldindata.org/grapher/carbon-intensity-electricity"
CT = "carbontracker data/carbon-intensities.csv (MIT)"
CC = "CodeCarbon (MIT)"
# mlco2/impact's MIT licence (Copyright Blackrock Digital LLC) is the licence of the website
# theme the repository is built on, not a statement about its data; the GPU figures taken from it
# are manufacturer or measured facts, cited to their origin and labelled `fact`.
MLCO2 = "mlco2/impact data/gpus.csv (repository MIT licence covers its website code; no data licence stated)"
AWS_DOC = "AWS Regions documentation https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html"
GCP_DOC = "Google Cloud locations https://cloud.google.com/about/locations"
AZ_DOC = "Azure geographies https://azure.microsoft.com/en-us/explore/global-infrastructure/geographies/"
# The data release these tables form (data/constants.json "data_release"; co2e --version prints it).
DATA_RELEASE = "2026-11"
# Retrieval dates: the commit dates of the pinned snapshots in the reference folder, or the day a
# figure was read from a published page for this release.
GA_SNAPSHOT = ("30df2feead1c7f5db87a3d86ca1239470a0cd415", "2025-02-05")
CT_SNAPSHOT = ("70e5a026d50cd6b73f1353659ec1a4f5422768db", "2025-11-18")
CC_SNAPSHOT = ("b05965e43b690cdc53787c7577adbe6e2caf4ed9", "2026-08-08")
GA_CI_URL = "https://github.com/GreenAlgorithms/green-algorithms-tool/blob/%s/data/v3.0/CI_aggregated.csv" % GA_SNAPSHOT[0]
OWID_URL = "https://ourworldindata.org/grapher/carbon-intensity-electricity"

# Google Cloud region carbon data, 2024 ("Grid carbon intensity (gCO2eq / kWh)", which Google
# describes as "the average operational gross emissions per unit of energy from the grid": the
# operational (combustion) basis, i.e. direct). Transcribed from
# GoogleCloudPlatform/region-carbon-info data/yearly/2024.csv at commit 49f3f26bfd68 (2025-12-03),
# Apache-2.0, read 2026-11-29.
GOOGLE_2024_COMMIT = "49f3f26bfd682305e8d9b572fea1f811900421a9"
GOOGLE_2024_URL = "https://github.com/GoogleCloudPlatform/region-carbon-info/blob/%s/data/yearly/2024.csv" % GOOGLE_2024_COMMIT
GOOGLE_2024 = OrderedDict([
    ("africa-south1", 656.85), ("asia-east1", 439.29), ("asia-east2", 505.02), ("asia-northeast1", 452.85),
    ("asia-northeast2", 296.19), ("asia-northeast3", 356.57), ("asia-south1", 678.76), ("asia-south2", 531.83),
    ("asia-southeast1", 366.85), ("asia-southeast2", 560.55), ("australia-southeast1", 497.50),
    ("australia-southeast2", 454.37), ("europe-central2", 642.88), ("europe-north1", 39.32), ("europe-north2", 2.73),
    ("europe-southwest1", 89.04), ("europe-west1", 103.37), ("europe-west2", 105.94), ("europe-west3", 275.82),
    ("europe-west4", 208.81), ("europe-west6", 15.05), ("europe-west8", 201.69), ("europe-west9", 16.30),
    ("europe-west10", 275.82), ("europe-west12", 201.69), ("me-central1", 366), ("me-central2", 382.23),
    ("me-west1", 433.75), ("northamerica-northeast1", 5.48), ("northamerica-northeast2", 58.56),
    ("northamerica-south1", 305.00), ("southamerica-east1", 67.32), ("southamerica-west1", 238.00),
    ("us-central1", 412.72), ("us-central2", 372.23), ("us-east1", 575.77), ("us-east2", 340.42), ("us-east4", 323.05),
    ("us-east5", 323.05), ("us-south1", 302.95), ("us-west1", 79.23), ("us-west2", 169.28), ("us-west3", 555.17),
    ("us-west4", 357.30),
])

# Australia: National Greenhouse Accounts Factors (DCCEEW, CC BY 4.0), Table 1, electricity
# consumed from each state grid: (scope 2, scope 3) in kg CO2-e/kWh. Scope 2 is the direct
# basis; scope 2 + scope 3 (upstream fuel extraction and transport, and network losses) is used
# as the lifecycle basis, as issue 14 proposes. The official workbook could not be fetched here;
# every figure was read from public transcriptions:
# - NGA 2025 (August 2025): scope 2 of the seven grids below agrees in three independent
#   transcriptions (a site's factors.js, a Scope 2 engine.ts, an Envizi factor-update runbook);
#   scope 3 was found in one of them (its factors.js, which names Table 1). NWIS was in none.
# - NGA 2024, kept for the WA North West Interconnected System only: the CC BY 4.0 transcription
#   huggingface.co/datasets/Programmer-RD-AI/national-greenhouse-accounts-factors-2024.
# NGA 2026 (August 2026) has been published; its scope 2 figures were seen in one transcription
# only (NSW & ACT 0.60 in two) and are not used yet (data/SOURCES.md).
NGA_2025_URL = "https://www.dcceew.gov.au/climate-change/publications/national-greenhouse-accounts-factors-2025"
NGA_2025 = OrderedDict([
    # co2e code: (NGA grid name, scope 2, scope 3)
    ("AU-NSW", ("New South Wales & ACT", 0.64, 0.03)),
    ("AU-ACT", ("New South Wales & ACT", 0.64, 0.03)),
    ("AU-VIC", ("Victoria", 0.78, 0.09)),
    ("AU-QLD", ("Queensland", 0.67, 0.09)),
    ("AU-SA", ("South Australia", 0.22, 0.04)),
    ("AU-WA", ("Western Australia - SWIS", 0.50, 0.06)),
    ("AU-TAS", ("Tasmania", 0.20, 0.03)),
    ("AU-NT-DKIS", ("Northern Territory - DKIS", 0.56, 0.09)),
])
NGA_2024_URL = "https://www.dcceew.gov.au/climate-change/publications/national-greenhouse-accounts-factors-2024"
NGA_2024_VIA = "https://huggingface.co/datasets/Programmer-RD-AI/national-greenhouse-accounts-factors-2024"
NGA_2024 = OrderedDict([
    ("AU-WA-NWIS", ("Western Australia - NWIS", 0.61, 0.09)),
])

# Ember, Yearly Electricity Data, 2025 release (CC BY 4.0): each country's and region's emissions
# intensity of electricity generation in its latest year, gCO2e/kWh. Ember computes it with
# life-cycle emission factors per fuel (IPCC AR5 WG3 Annex III), so the basis is lifecycle; it is
# the series Our World in Data publishes as "carbon intensity of electricity". Transcribed (by a
# script, not by hand) from thegreenwebfoundation/co2.js data/output/average-intensities.json, which
# co2.js fills from Ember's API (country_overview_yearly); the file was last changed at b459b5e
# (2025-08-03), read at the commit pinned below. co2.js is Apache-2.0; the figures are Ember's.
# The 2026 release (published 2026-04-21) could not be obtained here; see data/SOURCES.md.
EMBER_SNAPSHOT = ("27cbe8328aeaad0824fb07b3640dc45b72228c7b", "2025-08-03")
EMBER_FILE_COMMIT = "b459b5e543c6cfb49ad429627e325e14c45697e1"
EMBER_VIA_URL = ("https://github.com/thegreenwebfoundation/co2.js/blob/%s/data/output/average-intensities.json"
                 % EMBER_FILE_COMMIT)
EMBER_URL = "https://ember-energy.org/data/yearly-electricity-data/"
EMBER_RELEASE = "Ember Yearly Electricity Data 2025 release (via co2.js %s)" % EMBER_FILE_COMMIT[:7]
EMBER = "Ember, Yearly Electricity Data (2025 release), emissions intensity (CC BY 4.0) " + EMBER_URL
# ISO 3166-1 alpha-3, data year, gCO2e/kWh
EMBER_COUNTRIES = [
    ("ABW", 2022, 550), ("AFG", 2023, 123.71), ("AGO", 2023, 167.22), ("ALB", 2023, 24.42), ("ARE", 2024, 467.51),
    ("ARG", 2024, 344.83), ("ARM", 2024, 243.52), ("ASM", 2023, 647.06), ("ATG", 2023, 611.11),
    ("AUS", 2024, 553.76), ("AUT", 2024, 102.62), ("AZE", 2024, 632.89), ("BDI", 2023, 230.77),
    ("BEL", 2024, 117.58), ("BEN", 2023, 590), ("BFA", 2023, 554.91), ("BGD", 2024, 694.63), ("BGR", 2024, 264.21),
    ("BHR", 2023, 902.41), ("BHS", 2022, 653.66), ("BIH", 2024, 638.05), ("BLR", 2024, 323.63),
    ("BLZ", 2023, 155.56), ("BOL", 2024, 468.02), ("BRA", 2024, 106.06), ("BRB", 2023, 600), ("BRN", 2023, 892.67),
    ("BTN", 2023, 24.19), ("BWA", 2023, 849.42), ("CAF", 2022, 0), ("CAN", 2024, 184.99), ("CHE", 2024, 36.72),
    ("CHL", 2024, 265.52), ("CHN", 2024, 557.5), ("CIV", 2023, 393.53), ("CMR", 2023, 285.71), ("COD", 2023, 27.04),
    ("COG", 2023, 713.73), ("COK", 2022, 250), ("COL", 2024, 285.8), ("COM", 2023, 642.86), ("CPV", 2022, 480),
    ("CRI", 2024, 63.01), ("CUB", 2023, 638.98), ("CYM", 2023, 642.86), ("CYP", 2024, 512.24), ("CZE", 2024, 413.86),
    ("DEU", 2024, 342.06), ("DJI", 2023, 450), ("DMA", 2023, 600), ("DNK", 2024, 143.3), ("DOM", 2024, 565.97),
    ("DZA", 2023, 633.65), ("ECU", 2024, 209.7), ("EGY", 2024, 574.5), ("ERI", 2023, 590.91), ("ESP", 2024, 146.15),
    ("EST", 2024, 341.02), ("ETH", 2023, 23.55), ("FIN", 2024, 72.25), ("FJI", 2023, 278.26), ("FLK", 2022, 1000),
    ("FRA", 2024, 44.18), ("FRO", 2022, 354.17), ("GAB", 2023, 429.47), ("GBR", 2024, 215.79), ("GEO", 2024, 143.06),
    ("GHA", 2023, 452.86), ("GIN", 2023, 182.72), ("GLP", 2022, 493.9), ("GMB", 2023, 666.67), ("GNB", 2022, 625),
    ("GNQ", 2023, 605.1), ("GRC", 2024, 319.76), ("GRD", 2022, 666.67), ("GRL", 2022, 111.11), ("GTM", 2023, 272.66),
    ("GUF", 2022, 204.08), ("GUM", 2022, 611.11), ("GUY", 2023, 634.33), ("HKG", 2023, 681.99), ("HND", 2023, 289.5),
    ("HRV", 2024, 174.48), ("HTI", 2022, 534.65), ("HUN", 2024, 182.82), ("IDN", 2023, 682.43),
    ("IND", 2024, 708.96), ("IRL", 2024, 279.79), ("IRN", 2024, 648.68), ("IRQ", 2023, 689.4), ("ISL", 2023, 28.33),
    ("ISR", 2023, 567.26), ("ITA", 2024, 287.75), ("JAM", 2022, 561.25), ("JOR", 2022, 539.21),
    ("JPN", 2024, 483.73), ("KAZ", 2024, 801.79), ("KEN", 2024, 84.83), ("KGZ", 2024, 152.65), ("KHM", 2024, 497.46),
    ("KIR", 2022, 500), ("KNA", 2022, 636.36), ("KOR", 2024, 415.65), ("KWT", 2024, 637.24), ("LAO", 2023, 232.12),
    ("LBN", 2023, 369.47), ("LBR", 2023, 435.9), ("LBY", 2023, 830.53), ("LCA", 2022, 650), ("LKA", 2022, 509.78),
    ("LSO", 2022, 20.83), ("LTU", 2024, 139.34), ("LUX", 2024, 134.62), ("LVA", 2024, 136.22), ("MAC", 2022, 448.98),
    ("MAR", 2024, 577.65), ("MDA", 2024, 629.56), ("MDG", 2022, 477.27), ("MDV", 2023, 611.77),
    ("MEX", 2024, 483.14), ("MKD", 2024, 568.97), ("MLI", 2023, 394.5), ("MLT", 2024, 484.16), ("MMR", 2024, 569.69),
    ("MNE", 2024, 413.51), ("MNG", 2024, 784.01), ("MOZ", 2023, 127.81), ("MRT", 2022, 481.71), ("MSR", 2022, 1000),
    ("MTQ", 2022, 516.78), ("MUS", 2023, 633.03), ("MWI", 2022, 54.65), ("MYS", 2024, 604.43), ("NAM", 2023, 47.62),
    ("NCL", 2022, 585.76), ("NER", 2023, 687.5), ("NGA", 2024, 507.85), ("NIC", 2023, 288.33), ("NLD", 2024, 252.7),
    ("NOR", 2024, 30.75), ("NPL", 2022, 23.36), ("NRU", 2023, 750), ("NZL", 2024, 120.11), ("OMN", 2024, 545.33),
    ("PAK", 2024, 398.61), ("PAN", 2023, 258.74), ("PER", 2024, 263.27), ("PHL", 2024, 613.38),
    ("PNG", 2023, 513.74), ("POL", 2024, 614.98), ("PRI", 2024, 664.53), ("PRK", 2022, 344.26), ("PRT", 2024, 111.8),
    ("PRY", 2023, 24.86), ("PSE", 2022, 460.78), ("PYF", 2022, 436.62), ("QAT", 2024, 602.83), ("REU", 2022, 525.22),
    ("ROU", 2024, 245.55), ("RUS", 2024, 446.17), ("RWA", 2023, 301.89), ("SAU", 2024, 691.95),
    ("SDN", 2023, 214.33), ("SEN", 2023, 535.4), ("SGP", 2024, 498.74), ("SLB", 2023, 636.36), ("SLE", 2023, 47.62),
    ("SLV", 2024, 99.29), ("SOM", 2023, 523.81), ("SPM", 2022, 600), ("SRB", 2024, 670.8), ("SSD", 2023, 610.17),
    ("STP", 2022, 555.56), ("SUR", 2023, 383.18), ("SVK", 2024, 96.49), ("SVN", 2024, 227.11), ("SWE", 2024, 35.89),
    ("SWZ", 2023, 142.86), ("SYC", 2023, 571.43), ("SYR", 2022, 682.27), ("TCA", 2023, 653.85),
    ("TCD", 2022, 615.39), ("TGO", 2023, 478.26), ("THA", 2024, 555.43), ("TJK", 2024, 98.7), ("TKM", 2023, 1306.3),
    ("TON", 2023, 571.43), ("TTO", 2023, 682.11), ("TUN", 2024, 560.25), ("TUR", 2024, 469.7), ("TWN", 2024, 635.15),
    ("TZA", 2023, 371.59), ("UGA", 2022, 57.39), ("UKR", 2022, 250.47), ("URY", 2024, 96.7), ("USA", 2024, 383.55),
    ("UZB", 2023, 1121.18), ("VCT", 2023, 600), ("VEN", 2023, 180.25), ("VGB", 2023, 647.06), ("VIR", 2023, 641.79),
    ("VNM", 2024, 486.13), ("VUT", 2023, 500), ("WSM", 2023, 400), ("XKX", 2024, 958.72), ("YEM", 2023, 586.32),
    ("ZAF", 2024, 713.9), ("ZMB", 2023, 111), ("ZWE", 2023, 298.44),
]
# Ember's regions (its own definitions, https://ember-energy.org/countries-and-regions/), year 2024.
# Codes carry the EMBER- prefix so that no aggregate shares a name with `co2e compare --region`'s
# country groups (EU, europe, north-america), which are different lists (UN M49): one name, one
# meaning. The world is the WORLD row. Ember's G7, G20, OECD and ASEAN are not taken (not asked for).
EMBER_AGGREGATES = [
    # code, Ember's name, name shown, gCO2e/kWh
    ("WORLD", "World", "World", 472.94),
    ("EMBER-EU27", "EU", "European Union (27 member states), Ember", 213.02),
    ("EMBER-EUROPE", "Europe", "Europe (Ember's definition)", 285),
    ("EMBER-ASIA", "Asia", "Asia (Ember's definition)", 572.12),
    ("EMBER-AFRICA", "Africa", "Africa (Ember's definition)", 545.09),
    ("EMBER-NORTH-AMERICA", "North America", "North America (Ember's definition)", 358.36),
    ("EMBER-LATAM", "Latin America and Caribbean", "Latin America and the Caribbean (Ember's definition)", 254.21),
    ("EMBER-MIDDLE-EAST", "Middle East", "Middle East (Ember's definition)", 637.24),
    ("EMBER-OCEANIA", "Oceania", "Oceania (Ember's definition)", 495.47),
]
EMBER_YEAR = 2024

# US EPA eGRID2023 revision 2 (published 2025-06-12, data year 2023; US government work, public
# domain): annual CO2 total output emission rate, lb/MWh, of each state (ST23 sheet, STCO2RTA) and
# eGRID subregion (SRL23, SRCO2RTA). Combustion CO2 of generation within the area: the direct basis
# (GHG Protocol scope 2, location-based). Transcribed from vhark/cea-psychrometric-site-evaluator
# data/energy/grid.json @ cc6eb70, which a script there generates from EPA's egrid2023_data_rev2.xlsx
# ("originalCO2LbPerMWh"); cross-checked against a second, independent transcription of the
# subregions' CO2e rates (oliverjamesbuisness-sys/billprint data/egrid.json @ eee0aae, from EPA's
# Power Profiler v14.3): all 27 agree, CO2e being 0.15-0.9 % above CO2 (CH4 and N2O), as it must.
# CO2 rather than CO2e because only CO2 was obtained for the states, and one column is used for all.
EGRID_2023_URL = "https://www.epa.gov/egrid/detailed-data"
EGRID_2023_VIA = "vhark/cea-psychrometric-site-evaluator data/energy/grid.json @ cc6eb700c123"
EGRID_2023_RELEASE = "EPA eGRID2023 rev. 2 (2025-06-12)"
LB_PER_MWH_TO_G_PER_KWH = 0.45359237  # 1 lb = 0.45359237 kg (exact); lb/MWh x 0.4536 = g/kWh
EGRID_2023_STATES = OrderedDict([
    ("AK", 809.824), ("AL", 710.988), ("AR", 993.413), ("AZ", 686.688), ("CA", 393.486), ("CO", 1085.021),
    ("CT", 538.266), ("DC", 394.099), ("DE", 703.194), ("FL", 786.645), ("GA", 713.831), ("HI", 1385.131),
    ("IA", 630.187), ("ID", 313.292), ("IL", 471.705), ("IN", 1457.19), ("KS", 728.16), ("KY", 1735.009),
    ("LA", 761.404), ("MA", 822.39), ("MD", 520.022), ("ME", 311.824), ("MI", 793.171), ("MN", 747.545),
    ("MO", 1444.137), ("MS", 826.335), ("MT", 1056.167), ("NC", 623.958), ("ND", 1288.364), ("NE", 1018.154),
    ("NH", 272.854), ("NJ", 468.31), ("NM", 770.214), ("NV", 642.37), ("NY", 465.136), ("OH", 1063.843),
    ("OK", 647.207), ("OR", 364.162), ("PA", 645.773), ("RI", 839.136), ("SC", 557.173), ("SD", 334.032),
    ("TN", 657.267), ("TX", 768.317), ("UT", 1413.019), ("VA", 536.851), ("VT", 42.981), ("WA", 265.119),
    ("WI", 1156.996), ("WV", 1954.383), ("WY", 1820.318),
])
# eGRID subregion acronym: (EPA's name, lb CO2/MWh). co2e's code is US-<acronym>.
EGRID_2023_SUBREGIONS = OrderedDict([
    ("AKGD", ("ASCC Alaska Grid", 899.633)), ("AKMS", ("ASCC Miscellaneous", 520.483)),
    ("AZNM", ("WECC Southwest", 703.703)), ("CAMX", ("WECC California", 428.464)),
    ("ERCT", ("ERCOT All", 733.862)), ("FRCC", ("FRCC All", 782.262)),
    ("HIMS", ("HICC Miscellaneous", 1123.371)), ("HIOA", ("HICC Oahu", 1489.548)),
    ("MROE", ("MRO East", 1397.313)), ("MROW", ("MRO West", 920.13)),
    ("NEWE", ("NPCC New England", 539.275)), ("NWPP", ("WECC Northwest", 631.735)),
    ("NYCW", ("NPCC NYC/Westchester", 864.469)), ("NYLI", ("NPCC Long Island", 1180.672)),
    ("NYUP", ("NPCC Upstate NY", 242.089)), ("PRMS", ("Puerto Rico Miscellaneous", 1543.073)),
    ("RFCE", ("RFC East", 596.904)), ("RFCM", ("RFC Michigan", 970.617)),
    ("RFCW", ("RFC West", 911.424)), ("RMPA", ("WECC Rockies", 1036.601)),
    ("SPNO", ("SPP North", 861.999)), ("SPSO", ("SPP South", 872.042)),
    ("SRMV", ("SERC Mississippi Valley", 739.72)), ("SRMW", ("SERC Midwest", 1239.839)),
    ("SRSO", ("SERC South", 842.329)), ("SRTV", ("SERC Tennessee Valley", 898.079)),
    ("SRVC", ("SERC Virginia/Carolina", 593.419)),
])

# Canada: Environment and Climate Change Canada, "Emission factors and reference values", version
# 4.0 (2026-09-09, catalogue En84-294-2026), Table 5.4, electricity consumption intensity by
# province and territory, g CO2e/kWh of electricity consumed, data year 2024 (its footnote 42: the
# National Inventory Report 1990-2024, Part 3, Tables A7-2 to A7-14). Generation emissions (CO2,
# CH4, N2O, and SF6 from equipment) over consumption, so transmission losses are included: the
# direct basis. Open Government Licence - Canada. Transcribed from themisiqco/themisiq
# lib/ghg/factors/eccc-2026.ts @ 5c03b5f, whose rows cite the table's page (17); Prince Edward
# Island has its own figure in this edition (265), not New Brunswick's as in Tables 5.1 to 5.3.
ECCC_2026_URL = "https://www.canada.ca/en/environment-climate-change/services/climate-change/greenhouse-gas-emissions/inventory.html"
ECCC_2026_VIA = "themisiqco/themisiq lib/ghg/factors/eccc-2026.ts @ 5c03b5f72733"
ECCC_2026_RELEASE = "ECCC Emission factors and reference values v4.0 (2026-09-09), Table 5.4 (NIR 1990-2024)"
ECCC_2026 = OrderedDict([
    ("CA-BC", 18), ("CA-AB", 346), ("CA-SK", 581), ("CA-MB", 3.0), ("CA-ON", 73), ("CA-QC", 2.6), ("CA-NB", 375),
    ("CA-NS", 628), ("CA-PE", 265), ("CA-NL", 17), ("CA-YT", 134), ("CA-NT", 490), ("CA-NU", 760),
])


def die(msg):
    print("build_data.py: error: " + msg, file=sys.stderr)
    sys.exit(1)


def num(x):
    """Return an int when x is integral, else a float rounded to 4 decimals."""
    x = float(x)
    if abs(x - round(x)) < 1e-9:
        return int(round(x))
    return round(x, 4)


def read_csv(path, skip=0, encoding="utf-8-sig", **kw):
    with open(path, newline="", encoding=encoding) as f:
        for _ in range(skip):
            f.readline()
        return list(csv.DictReader(f, **kw))


def key_of(s):
    """Case- and punctuation-insensitive key (what co2e matches names with)."""
    return re.sub(r"[^a-z0-9]", "", s.lower())


# ==========================================================================
# CPUs
# ==========================================================================
TM_RE = re.compile(r"®|™|\(R\)|\(TM\)|\(tm\)|\(r\)")


def clean_common(name):
    name = TM_RE.sub("", name)
    name = re.sub(r"@\s*[\d.]+\s*GHz", "", name)
    name = re.sub(r"\s+", " ", name).strip()
    return name


def clean_intel(name):
    n = clean_common(name)
    n = re.sub(r"\(.*?\)", "", n)                       # "(9M Cache, up to 4.00 GHz)"
    n = re.sub(r"\bincludes .*$", "", n)               # "... includes Intel Optane Memory"
    n = re.sub(r"\b[Pp]rocessor\b", "", n)
    n = re.sub(r"\bCPU\b", "", n)
    n = n.replace(",", " ")
    n = re.sub(r"\s+", " ", n).strip()
    if not n.startswith("Intel"):
        n = "Intel " + n
    return n


AMD_DROP = [
    r"\(OEM Only\)", r"\(\d+W\)", r"\bwith Radeon.*$", r"\bwith Near Silent.*$", r"\bwith Wraith.*$",
    r"^\d+th Gen\s+", r"\bAPU\b", r"\bMobile Processor\b", r"\bProcessor\b",
]


def clean_amd(name):
    n = clean_common(name)
    for pat in AMD_DROP:
        n = re.sub(pat, "", n).strip()
    n = re.sub(r"\s+", " ", n).strip()
    if re.match(r"^\d", n):                              # "845 with Near Silent..." (Athlon X4)
        n = "Athlon X4 " + n
    n = re.sub(r"^FX[ -](\d)", r"FX-\1", n)
    n = re.sub(r"\bFX (\d)", r"FX-\1", n)
    if not n.startswith("AMD"):
        n = "AMD " + n
    return n


def parse_watts(s):
    s = (s or "").strip().replace("W", "").strip()
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        return None
    v = float(s)
    return v if v > 0 else None


def parse_int(s):
    s = (s or "").strip()
    if not re.fullmatch(r"\d+", s):
        return None
    v = int(s)
    return v if v > 0 else None


def intel_year(d):
    m = re.search(r"'(\d\d)$", d or "")
    return 2000 + int(m.group(1)) if m else None


def amd_year(d):
    d = (d or "").strip()
    m = re.search(r"(\d{4})$", d)
    if m:
        return int(m.group(1))
    m = re.search(r"(\d{2})$", d)                      # "Q216", "2Q18", "3/25"
    if m:
        return 2000 + int(m.group(1))
    return None


# Launch years for AMD series whose rows carry no launch date (public launch facts).
AMD_SERIES_YEAR = {
    "EPYC 4004 Series": 2024, "EPYC 7001 Series": 2017, "EPYC 7002 Series": 2019,
    "Opteron 3200 Series": 2012, "Opteron 3300 Series": 2012, "Opteron 4200 Series": 2011,
    "Opteron 4300 Series": 2012, "Opteron 6100 Series": 2010, "Opteron 6200 Series": 2011,
    "Opteron 6300 Series": 2012, "Opteron X1100 Series": 2016, "Opteron X2100 Series APU": 2013,
    "A10-Series APU for AIOs": 2015, "A4-Series APU for Desktops": 2013, "A8-Series APU for AIOs": 2015,
    "A8-Series APU for Laptops": 2014, "Athlon 200 Series": 2018, "Athlon 5000 Series": 2014,
    "Athlon 7000 Series": 2023, "Athlon II X2": 2009, "Athlon II X3": 2009, "Athlon II X4": 2009,
    "Athlon PRO 200 Series": 2018, "Business Class - AMD Phenom™ X2 Dual-Core": 2008,
    "Business Class - AMD Phenom™ X3 Triple-Core": 2008, "Business Class - AMD Phenom™ X4 Quad-Core": 2008,
    "Business Class - Dual-Core A6-Series APU for Desktops": 2013,
    "Business Class - Quad-Core A10-Series APU for Desktops": 2013,
    "Business Class - Quad-Core A8-Series APU for Desktops": 2013, "E1-Series APU for Laptops": 2013,
    "FX 4-Core Black Edition Processors": 2011, "FX 6-Core Black Edition Processors": 2011,
    "FX 8-Core Black Edition Processors": 2011, "FX-Series Processors for AIOs": 2015,
    "PRO A-Series A4 APU for Desktops": 2014, "Phenom™ II Black Edition Quad-Core Mobile Processors": 2010,
    "Phenom™ II Dual-Core Mobile Processors": 2010, "Phenom™ II Quad-Core Mobile Processors": 2010,
    "Phenom™ II Triple-Core Mobile Processors": 2010, "Phenom™ II X2 Black": 2009, "Phenom™ II X4": 2009,
    "Phenom™ II X4 Black": 2009, "Phenom™ II X6": 2010, "Ryzen 200 Series": 2025,
    "Ryzen AI 300 Series": 2024, "Ryzen AI Max 300 Series": 2025, "Ryzen AI Max PRO 300 Series": 2025,
    "Ryzen AI PRO 300 Series": 2024, "Ryzen PRO 200 Series": 2025, "Ryzen Threadripper 9000 Series": 2025,
    "Ryzen Threadripper PRO 9000 WX-Series": 2025, "Ryzen Z1": 2023, "Ryzen Z2": 2025,
    "Sempron Dual-Core APU": 2014, "Sempron Quad-Core APU": 2014,
}

# Launch years for Green Algorithms TDP_cpu.csv rows (the file leaves Release_year empty).
GA_CPU_YEAR = {
    "A8-7680": 2019, "A9-9425 SoC": 2018, "AMD 7552": 2020, "AMD EPYC 7V73X": 2022,
    "Athlon 3000G": 2019, "Core 2 Quad Q6600": 2007, "Core i3-10100": 2020, "Core i3-10300": 2020,
    "Core i3-10320": 2020, "Core i3-10350K": 2020, "Core i3-9100": 2019, "Core i3-9100F": 2019,
    "Core i5-10400": 2020, "Core i5-10400F": 2020, "Core i5-10500": 2020, "Core i5-10600": 2020,
    "Core i5-10600K": 2020, "Core i5-1145G7": 2020, "Core i5-3570K": 2012, "Core i5-4460": 2014,
    "Core i5-9400": 2019, "Core i5-9400F": 2019, "Core i5-9600KF": 2018, "Core i7-10700": 2020,
    "Core i7-10700K": 2020, "Core i7-4790": 2014, "Core i7-4930K": 2013, "Core i7-6700K": 2015,
    "Core i7-8700K": 2017, "Core i7-9700F": 2019, "Core i7-9700K": 2018, "Core i9-10900K": 2020,
    "Core i9-10900KF": 2020, "Core i9-10900XE": 2020, "Core i9-10920XE": 2019, "Core i9-12900K": 2021,
    "Core i9-9900K": 2018, "FX-6300": 2012, "FX-8350": 2012, "Rasberry Pi 4": 2019,
    "Ryzen 3 2200G": 2018, "Ryzen 3 3200G": 2019, "Ryzen 3 3200U": 2019, "Ryzen 5 1600": 2017,
    "Ryzen 5 2600": 2018, "Ryzen 5 3400G": 2019, "Ryzen 5 3500U": 2019, "Ryzen 5 3600": 2019,
    "Ryzen 5 3600X": 2019, "Ryzen 7 2700X": 2018, "Ryzen 7 3700X": 2019, "Ryzen 7 3800X": 2019,
    "Ryzen 9 3900X": 2019, "Ryzen 9 3950X": 2019, "Ryzen Threadripper 2990WX": 2018,
    "Ryzen Threadripper 3990X": 2020, "Xeon E5-2650 v2": 2013, "Xeon E5-2660 v3": 2014,
    "Xeon E5-2665": 2012, "Xeon E5-2670": 2012, "Xeon E5-2670 v2": 2013, "Xeon E5-2680 v3": 2014,
    "Xeon E5-2683 v4": 2016, "Xeon E5-2690 v2": 2013, "Xeon E5-2690 v3": 2014, "Xeon E5-2695 v3": 2014,
    "Xeon E5-2695 v4": 2016, "Xeon E5-2697 v4": 2016, "Xeon E5-2699 v3": 2014, "Xeon E5-2699 v4": 2016,
    "Xeon E5-4610 v4": 2016, "Xeon E5-4620": 2012, "Xeon E5-4650L": 2012, "Xeon E7-4850 v2": 2014,
    "Xeon E7-8867 v3": 2015, "Xeon E7-8880 v4": 2016, "Xeon Gold 6142": 2017, "Xeon Gold 6148": 2017,
    "Xeon Gold 6248": 2019, "Xeon Gold 6252": 2019, "Xeon L5640": 2010, "Xeon Phi 5110P": 2012,
    "Xeon Platinum 8260": 2019, "Xeon Platinum 8268": 2019, "Xeon Platinum 9282": 2019,
    "Xeon X3430": 2009, "Xeon X5660": 2010, "AMD EPYC 7251": 2017, "AMD EPYC 7343": 2021,
    "AMD EPYC 7513": 2021, "AMD EPYC 7642": 2019, "AMD EPYC 7763": 2021, "AMD EPYC 7773X": 2022,
    "AMD EPYC 7H12": 2019,
}


def ga_cpu_name(model):
    m = model.strip()
    if m == "Rasberry Pi 4":
        return "Broadcom BCM2711", "Broadcom", ["Raspberry Pi 4"]
    if m == "AMD 7552":
        return "AMD EPYC 7552", "AMD", []
    if m.startswith("AMD "):
        return m, "AMD", []
    if re.match(r"^(Ryzen|Athlon|FX-|A\d+-)", m):
        return "AMD " + m, "AMD", []
    if re.match(r"^(Core|Xeon)", m):
        return "Intel " + m, "Intel", []
    return None, None, []


def fact(url, note=""):
    return (note + " " if note else "") + url


# Hand-curated CPUs: (name, tdp_w, cores, vendor, year, source, aliases)
INTEL_ARK = "Intel product specifications https://www.intel.com/content/www/us/en/ark.html"
AMD_SPECS = "AMD processor specifications https://www.amd.com/en/products/specifications/processors.html"
ALTRA = "Ampere Altra product brief / SKU list https://amperecomputing.com/briefs/ampere-altra-family-product-brief"
APPLE_NOTE = ("estimate: Apple publishes no TDP; value = widely cited maximum CPU package power under "
              "all-core load (AnandTech / Notebookcheck measurements), CPU cores only, rounded")
HAND_CPUS = [
    # --- Ampere (datasheet TDPs) ---
    ("Ampere Altra Q80-33", 250, 80, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q80-30", 210, 80, "Ampere", 2020, ALTRA, ["Altra Q80-30", "Neoverse-N1 80-core"]),
    ("Ampere Altra Q80-26", 175, 80, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q80-23", 150, 80, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q72-30", 195, 72, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q64-33", 220, 64, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q64-30", 180, 64, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q64-26", 125, 64, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q64-24", 95, 64, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q48-22", 85, 48, "Ampere", 2020, ALTRA, []),
    ("Ampere Altra Q32-17", 58, 32, "Ampere", 2020, ALTRA + " (45-58 W; upper bound used)", []),
    ("Ampere Altra Max M128-30", 250, 128, "Ampere", 2021,
     "Ampere Altra Max product brief https://amperecomputing.com/briefs/ampere-altra-family-product-brief", ["Altra Max M128-30", "Altra Max"]),
    ("Ampere AmpereOne A192-32X", 350, 192, "Ampere", 2023,
     "AmpereOne product brief https://amperecomputing.com/briefs/ampereone-family-product-brief (family rated 200-350 W; top SKU value used)",
     ["AmpereOne"]),
    # --- AWS Graviton (AWS publishes no TDP) ---
    ("AWS Graviton", 35, 16, "AWS", 2018,
     "estimate: AWS publishes no TDP; ~35 W for 16 Cortex-A72 cores at 2.3 GHz (16 nm) from per-core A72 power; https://aws.amazon.com/ec2/graviton/",
     ["Graviton", "Graviton1", "a1"]),
    ("AWS Graviton2", 110, 64, "AWS", 2019,
     "estimate: AWS publishes no TDP; widely cited ~110 W (AnandTech Graviton2 review, 80-110 W); https://aws.amazon.com/ec2/graviton/",
     ["Graviton2", "m6g", "c6g", "r6g"]),
    ("AWS Graviton3", 100, 64, "AWS", 2021,
     "estimate: AWS publishes no TDP; widely cited ~100 W (The Next Platform / SemiAnalysis estimates); https://aws.amazon.com/ec2/graviton/",
     ["Graviton3", "m7g", "c7g", "r7g"]),
    ("AWS Graviton3E", 120, 64, "AWS", 2022,
     "estimate: AWS publishes no TDP; Graviton3 estimate (~100 W) plus ~20% for the higher-clocked HPC variant; https://aws.amazon.com/ec2/instance-types/hpc7g/",
     ["Graviton3E", "hpc7g", "c7gn"]),
    ("AWS Graviton4", 150, 96, "AWS", 2023,
     "estimate: AWS publishes no TDP; ~150 W for 96 Neoverse-V2 cores (Graviton3 per-core estimate scaled by cores); https://aws.amazon.com/ec2/graviton/",
     ["Graviton4", "m8g", "c8g", "r8g"]),
    # --- NVIDIA Grace ---
    ("NVIDIA Grace CPU Superchip", 500, 144, "NVIDIA", 2023,
     "NVIDIA Grace CPU Superchip datasheet (500 W including LPDDR5X memory) https://resources.nvidia.com/en-us-grace-cpu/data-center-datasheet",
     ["Grace Superchip", "Grace CPU Superchip"]),
    ("NVIDIA Grace", 250, 72, "NVIDIA", 2023,
     "estimate: half of the 500 W NVIDIA Grace CPU Superchip (2 x 72 cores, incl. memory) https://resources.nvidia.com/en-us-grace-cpu/data-center-datasheet",
     ["Grace", "Grace CPU"]),
    # --- Apple silicon (estimates) ---
    ("Apple M1", 20, 8, "Apple", 2020, APPLE_NOTE, []),
    ("Apple M1 Pro", 30, 10, "Apple", 2021, APPLE_NOTE, []),
    ("Apple M1 Max", 30, 10, "Apple", 2021, APPLE_NOTE + "; same CPU cluster as M1 Pro", []),
    ("Apple M1 Ultra", 60, 20, "Apple", 2022, APPLE_NOTE + "; two M1 Max dies", []),
    ("Apple M2", 20, 8, "Apple", 2022, APPLE_NOTE, []),
    ("Apple M2 Pro", 35, 12, "Apple", 2023, APPLE_NOTE, []),
    ("Apple M2 Max", 35, 12, "Apple", 2023, APPLE_NOTE + "; same CPU cluster as M2 Pro", []),
    ("Apple M2 Ultra", 70, 24, "Apple", 2023, APPLE_NOTE + "; two M2 Max dies", []),
    ("Apple M3", 21, 8, "Apple", 2023, APPLE_NOTE, []),
    ("Apple M3 Pro", 27, 12, "Apple", 2023, APPLE_NOTE, []),
    ("Apple M3 Max", 56, 16, "Apple", 2023, APPLE_NOTE, []),
    ("Apple M3 Ultra", 110, 32, "Apple", 2025, APPLE_NOTE + "; two M3 Max dies", []),
    ("Apple M4", 22, 10, "Apple", 2024, APPLE_NOTE, []),
    ("Apple M4 Pro", 40, 14, "Apple", 2024, APPLE_NOTE, []),
    ("Apple M4 Max", 60, 16, "Apple", 2024, APPLE_NOTE, []),
    # --- Popular Intel chips missing from the ARK scrape (base power / PBP) ---
    ("Intel Core i7-1360P", 28, 12, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i5-1340P", 28, 12, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i7-1355U", 15, 10, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i5-1335U", 15, 10, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i7-1260P", 28, 12, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i5-1240P", 28, 12, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i7-1255U", 15, 10, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i5-1235U", 15, 10, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i7-12700H", 45, 14, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i7-13700H", 45, 14, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i9-13900H", 45, 14, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i7-1165G7", 28, 4, "Intel", 2020, INTEL_ARK + " (configurable 12-28 W; upper value used)", []),
    ("Intel Core i5-1135G7", 28, 4, "Intel", 2020, INTEL_ARK + " (configurable 12-28 W; upper value used)", []),
    ("Intel Core i7-1185G7", 28, 4, "Intel", 2020, INTEL_ARK + " (configurable 12-28 W; upper value used)", []),
    ("Intel Core i9-12900K", 125, 16, "Intel", 2021, INTEL_ARK, []),
    ("Intel Core i7-12700K", 125, 12, "Intel", 2021, INTEL_ARK, []),
    ("Intel Core i5-12600K", 125, 10, "Intel", 2021, INTEL_ARK, []),
    ("Intel Core i9-12900", 65, 16, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i7-12700", 65, 12, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i5-12400", 65, 6, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i9-13900K", 125, 24, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i7-13700K", 125, 16, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i5-13600K", 125, 14, "Intel", 2022, INTEL_ARK, []),
    ("Intel Core i9-13900", 65, 24, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i7-13700", 65, 16, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i5-13400", 65, 10, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i9-14900K", 125, 24, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i7-14700K", 125, 20, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i5-14600K", 125, 14, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core i9-14900", 65, 24, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core i7-14700", 65, 20, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core i5-14400", 65, 10, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core Ultra 9 285K", 125, 24, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core Ultra 7 265K", 125, 20, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core Ultra 5 245K", 125, 14, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core Ultra 9 185H", 45, 16, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core Ultra 7 165H", 28, 16, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core Ultra 7 155H", 28, 16, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core Ultra 5 125H", 28, 14, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core Ultra 7 155U", 15, 12, "Intel", 2023, INTEL_ARK, []),
    ("Intel Core Ultra 9 288V", 30, 8, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core Ultra 7 258V", 17, 8, "Intel", 2024, INTEL_ARK, []),
    ("Intel Core Ultra 5 226V", 17, 8, "Intel", 2024, INTEL_ARK, []),
]

# Chips missing from the ARK scrape that /proc/cpuinfo commonly shows.
HAND_CPUS += [
    ("Intel Core i7-8700", 65, 6, "Intel", 2017, INTEL_ARK, []),
]

# Custom SKUs that cloud providers buy (AWS, Azure, Google Cloud): /proc/cpuinfo on their instances
# names them, and data/instances.json refers to them. (name, cores, year, TDP: a number, or the
# name of the retail part with the same core count and generation whose TDP stands in, since the
# vendors publish none for these parts). A number-less entry takes its TDP from CodeCarbon's
# hardware/cpu_power.csv (MIT).
CLOUD_CPU_NOTE = "custom cloud SKU; cores per chip as the provider's instance documentation gives them"
CLOUD_CPUS = [
    ("Intel Xeon Platinum 8175M", 24, 2017, None),
    ("Intel Xeon Platinum 8124M", 18, 2017, None),
    ("Intel Xeon Platinum 8151", 12, 2017, None),
    ("Intel Xeon Platinum 8259CL", 24, 2019, None),
    ("Intel Xeon Platinum 8275CL", 24, 2019, None),
    ("Intel Xeon Platinum 8375C", 32, 2021, None),
    ("Intel Xeon E5-2686 v4", 18, 2016, None),
    ("Intel Xeon E5-2673 v4", 20, 2016, None),
    ("Intel Xeon Platinum 8171M", 26, 2018, None),
    ("Intel Xeon Platinum 8272CL", 26, 2019, None),
    ("Intel Xeon Platinum 8370C", 32, 2021, None),
    ("Intel Xeon Platinum 8273CL", 28, 2019, None),
    ("Intel Xeon Platinum 8373C", 36, 2021, None),
    ("AMD EPYC 7R13", 48, 2021, None),
    ("AMD EPYC 7B12", 64, 2020, None),
    ("Intel Xeon Platinum 8488C", 48, 2023, "Intel Xeon Platinum 8468"),
    ("Intel Xeon Platinum 8481C", 56, 2023, "Intel Xeon Platinum 8480+"),
    ("Intel Xeon Platinum 8480C", 56, 2023, "Intel Xeon Platinum 8480+"),
    ("AMD EPYC 7R32", 48, 2020, "AMD EPYC 7642"),
    ("AMD EPYC 7B13", 64, 2021, "AMD EPYC 7763"),
    ("AMD EPYC 7V12", 64, 2020, "AMD EPYC 7742"),
    ("AMD EPYC 7V13", 64, 2021, "AMD EPYC 7763"),
    ("AMD EPYC 9R14", 96, 2023, "AMD EPYC 9654"),
    ("AMD EPYC 9V84", 96, 2023, "AMD EPYC 9654"),
]


def cloud_cpu_rows(ref, rows_by_key):
    """The CLOUD_CPUS rows, with TDPs from CodeCarbon's cpu_power.csv or the stand-in retail row."""
    tdp_csv = {}
    for r in read_csv(os.path.join(ref, "codecarbon", "hardware", "cpu_power.csv")):
        try:
            w = float(r.get("TDP", ""))
        except ValueError:   # 4 malformed ranges such as "27.29.5" (see the snapshot's SOURCES.md)
            continue
        if w > 0:
            tdp_csv[key_of(r["Name"])] = w
    out = []
    for name, cores, year, standin in CLOUD_CPUS:
        row = OrderedDict([("name", name)])
        if standin is None:
            tdp = tdp_csv.get(key_of(name))
            if not tdp:
                die("cloud CPU %s: no TDP in CodeCarbon cpu_power.csv" % name)
            source = ("CodeCarbon hardware/cpu_power.csv (MIT) TDP; " + CLOUD_CPU_NOTE +
                      " https://github.com/mlco2/codecarbon")
            licence = "MIT"
        else:
            retail = rows_by_key.get(key_of(standin))
            if retail is None:
                die("cloud CPU %s: stand-in %s not in the table" % (name, standin))
            tdp = retail["tdp_w"]
            source = ("estimate: the vendor publishes no TDP for this %s; TDP of the retail %s (%s)" %
                      (CLOUD_CPU_NOTE, standin, retail["source"]))
            licence = retail["licence"]
        row["tdp_w"] = int(tdp) if float(tdp).is_integer() else tdp
        row["cores"] = cores
        row["vendor"] = name.split()[0]
        row["source"] = source
        row["year"] = year
        row["licence"] = licence
        out.append(row)
    return out


# Extra aliases for rows that come from the reference data (matched after cleaning).
CPU_EXTRA_ALIASES = {
    "Intel Xeon Max 9480": ["Intel Xeon CPU Max 9480"],
    "Intel Xeon Max 9470": ["Intel Xeon CPU Max 9470"],
    "Intel Xeon Max 9468": ["Intel Xeon CPU Max 9468"],
    "Intel Xeon Max 9462": ["Intel Xeon CPU Max 9462"],
    "Intel Xeon Max 9460": ["Intel Xeon CPU Max 9460"],
}


def build_cpus(ref):
    cc = os.path.join(ref, "codecarbon", "hardware", "cpu_dataset_builder")
    skipped = Counter()
    cands = []   # (priority, row)

    # Intel ARK scrape (CodeCarbon, MIT; Intel spec figures)
    for r in read_csv(os.path.join(cc, "intel_cpu_ark_dataset.csv")):
        tdp, cores = parse_watts(r["tdp"]), parse_int(r["total_cores"])
        if tdp is None or cores is None:
            skipped["intel_ark: missing/zero/non-numeric TDP or cores"] += 1
            continue
        year = intel_year(r["launch_date"])
        if year is None:
            skipped["intel_ark: no launch year"] += 1
            continue
        cands.append((2, OrderedDict([
            ("name", clean_intel(r["cpu_name"])), ("tdp_w", num(tdp)), ("cores", cores), ("vendor", "Intel"),
            ("source", "Intel ARK specifications via CodeCarbon hardware/cpu_dataset_builder/intel_cpu_ark_dataset.csv (MIT) https://www.intel.com/content/www/us/en/ark.html"),
            ("year", year), ("licence", "MIT")])))

    # AMD scrapes (CodeCarbon, MIT; AMD spec figures)
    for fname, label in (("amd_cpu_server_dataset.csv", "amd_server"), ("amd_cpu_desktop_dataset.csv", "amd_desktop")):
        for r in read_csv(os.path.join(cc, fname)):
            tdp, cores = parse_watts(r["Default TDP"]), parse_int(r["# of CPU Cores"])
            if tdp is None or cores is None:
                skipped[label + ": missing/zero/non-numeric TDP or cores"] += 1
                continue
            series = r.get("Series", "")
            if "Laptops" in series and tdp > 45:
                skipped[label + ": implausible laptop TDP (> 45 W)"] += 1
                continue
            year = amd_year(r.get("Launch Date"))
            imputed = None
            if year is None and series in AMD_SERIES_YEAR:
                year, imputed = AMD_SERIES_YEAR[series], "launch year imputed: no launch date in the AMD scrape; launch year of the %s (hand list)" % series
            if year is None:
                # fall back to the earliest dated launch in the same series
                year = SERIES_MIN_YEAR.get(series)
                if year is not None:
                    imputed = "launch year imputed: no launch date in the AMD scrape; earliest dated launch of the %s" % series
            if year is None:
                skipped[label + ": no launch year"] += 1
                continue
            cands.append((2, OrderedDict([
                ("name", clean_amd(r["Name"])), ("tdp_w", num(tdp)), ("cores", cores), ("vendor", "AMD"),
                ("source", "AMD product specifications via CodeCarbon hardware/cpu_dataset_builder/%s (MIT) https://www.amd.com/en/products/specifications/processors.html" % fname),
                ("year", year), ("licence", "MIT")] + ([("note", imputed)] if imputed else []))))

    # Green Algorithms v3.0 TDP_cpu.csv (CC BY 4.0)
    ga = os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "TDP_cpu.csv")
    for r in read_csv(ga, skip=1):
        model = r["model"].strip()
        if model == "Any":
            continue
        tdp, cores = parse_watts(r["TDP"]), parse_int(r["n_cores"])
        if tdp is None or cores is None:
            skipped["green_algorithms: missing/zero/non-numeric TDP or cores"] += 1
            continue
        name, vendor, aliases = ga_cpu_name(model)
        if name is None:
            skipped["green_algorithms: unknown vendor"] += 1
            continue
        year = GA_CPU_YEAR.get(model)
        if year is None:
            skipped["green_algorithms: no launch year"] += 1
            continue
        row = OrderedDict([("name", name), ("tdp_w", num(tdp)), ("cores", cores), ("vendor", vendor)])
        if aliases:
            row["aliases"] = aliases
        row["source"] = GA_VIA + "TDP_cpu.csv, " + r["source"].strip()
        row["year"] = year
        row["licence"] = CC_BY
        cands.append((1, row))

    # Hand-curated
    for name, tdp, cores, vendor, year, source, aliases in HAND_CPUS:
        row = OrderedDict([("name", name), ("tdp_w", tdp), ("cores", cores), ("vendor", vendor)])
        if aliases:
            row["aliases"] = aliases
        row["source"] = source
        row["year"] = year
        row["licence"] = "fact"
        cands.append((3, row))

    # Deduplicate by case/punctuation-insensitive name: higher priority wins, then newer year.
    best = {}
    dups = 0
    for prio, row in cands:
        k = key_of(row["name"])
        if k in best:
            dups += 1
            p0, r0 = best[k]
            if (prio, row["year"]) > (p0, r0["year"]):
                best[k] = (prio, row)
        else:
            best[k] = (prio, row)
    rows = [r for _, r in best.values()]
    by_key = {key_of(r["name"]): r for r in rows}
    for row in cloud_cpu_rows(ref, by_key):
        if key_of(row["name"]) in by_key:
            die("cloud CPU %s is already in the table" % row["name"])
        rows.append(row)
    for r in rows:
        extra = CPU_EXTRA_ALIASES.get(r["name"])
        if extra:
            r["aliases"] = sorted(set(r.get("aliases", []) + extra))
            r.move_to_end("aliases", last=True)
            for f in ("source", "year", "licence"):
                r.move_to_end(f, last=True)
    rows.sort(key=lambda r: (r["vendor"], r["name"].lower()))
    print("cpus: %d candidate rows, %d duplicates merged, %d kept" % (len(cands), dups, len(rows)))
    for why, n in sorted(skipped.items()):
        print("  skipped %4d  %s" % (n, why))
    return rows


SERIES_MIN_YEAR = {}


def prime_series_years(ref):
    p = os.path.join(ref, "codecarbon", "hardware", "cpu_dataset_builder", "amd_cpu_desktop_dataset.csv")
    for r in read_csv(p):
        y = amd_year(r.get("Launch Date"))
        s = r.get("Series", "")
        if y and (s not in SERIES_MIN_YEAR or y < SERIES_MIN_YEAR[s]):
            SERIES_MIN_YEAR[s] = y


# ==========================================================================
# GPUs / accelerators (hand-curated from datasheets, with reference rows)
# ==========================================================================
NV = "NVIDIA"
URL_V100 = "https://images.nvidia.com/content/technologies/volta/pdf/volta-v100-datasheet-update-us-1165301-r5.pdf"
URL_A100 = "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf"
URL_A100_80_PCIE = "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/PB-10577-001_v02.pdf"
URL_H100 = "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet"
URL_H200 = "https://www.nvidia.com/en-us/data-center/h200/"
URL_B200 = "https://www.nvidia.com/en-us/data-center/hgx/"
URL_GB200 = "https://www.nvidia.com/en-us/data-center/gb200-nvl72/"
URL_L4 = "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/l4/PB-11316-001_v01.pdf"
URL_L40 = "https://images.nvidia.com/content/Solutions/data-center/vgpu-L40-datasheet.pdf"
URL_L40S = "https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413"
URL_T4 = "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf"
URL_A10 = "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a10/pdf/A10-Product-Brief.pdf"
URL_A30 = "https://www.nvidia.com/content/dam/en-zz/Solutions/data-center/products/a30-gpu/pdf/a30-datasheet.pdf"
URL_A40 = "https://images.nvidia.com/content/Solutions/data-center/a40/nvidia-a40-datasheet.pdf"
URL_A16 = "https://images.nvidia.com/content/Solutions/data-center/vgpu-a16-datasheet.pdf"
URL_P100 = "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-p100/pdf/nvidia-tesla-p100-datasheet.pdf"
URL_P4 = "https://images.nvidia.com/content/pdf/tesla/184457-Tesla-P4-Datasheet-NV-Final-Letter-Web.pdf"
URL_P40 = "https://images.nvidia.com/content/pdf/tesla/184427-Tesla-P40-Datasheet-NV-Final-Letter-Web.pdf"
URL_K80 = "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-product-literature/Tesla-K80-BoardSpec-07317-001-v05.pdf"
URL_GEFORCE = "NVIDIA GeForce specifications https://www.nvidia.com/en-us/geforce/graphics-cards/"
URL_RTXPRO = "NVIDIA RTX professional GPU specifications https://www.nvidia.com/en-us/design-visualization/desktop-graphics/"
URL_AMD_INSTINCT = "AMD Instinct accelerator specifications https://www.amd.com/en/products/accelerators/instinct.html"
URL_GAUDI = "Intel Gaudi AI accelerator specifications https://www.intel.com/content/www/us/en/products/details/processors/ai-accelerators/gaudi.html"
URL_MAX = "Intel Data Center GPU Max Series specifications https://www.intel.com/content/www/us/en/products/details/discrete-gpus/data-center-gpu/max-series.html"
PATTERSON = "Patterson et al. 2021, Carbon Emissions and Large Neural Network Training, arXiv:2104.10350, Table 4 measured average power per chip (not TDP)"

# (name, tdp_w, kind, vendor, memory_gb, aliases, year, source, licence)
HAND_GPUS = [
    # --- NVIDIA data centre ---
    ("NVIDIA Tesla K80", 300, "gpu", NV, 24, ["K80", "Tesla K80"], 2014, URL_K80 + " (per board of 2 GPUs, as in Green Algorithms and mlco2; nvidia-smi shows 2 devices)", "fact"),
    ("NVIDIA Tesla K40", 235, "gpu", NV, 12, ["K40", "Tesla K40"], 2013,
     "https://www.nvidia.com/content/PDF/kepler/Tesla-K40-PCIe-Passive-Board-Spec-BD-06902-001_v05.pdf", "fact"),
    ("NVIDIA Tesla M40 24GB", 250, "gpu", NV, 24, ["M40", "Tesla M40"], 2015,
     "techpowerup.com via " + MLCO2 + " https://www.techpowerup.com/gpu-specs/tesla-m40.c2771", "fact"),
    ("NVIDIA Tesla P4", 75, "gpu", NV, 8, ["P4", "Tesla P4"], 2016, URL_P4, "fact"),
    ("NVIDIA Tesla P40", 250, "gpu", NV, 24, ["P40", "Tesla P40"], 2016, URL_P40, "fact"),
    ("NVIDIA Tesla P100 PCIe 16GB", 250, "gpu", NV, 16, ["P100", "P100 PCIe", "Tesla P100", "Tesla P100 PCIe", "Tesla P100-PCIE-16GB"], 2016, URL_P100, "fact"),
    ("NVIDIA Tesla P100 SXM2", 300, "gpu", NV, 16, ["P100 SXM2", "Tesla P100-SXM2-16GB"], 2016, URL_P100, "fact"),
    ("NVIDIA Tesla V100 PCIe 16GB", 250, "gpu", NV, 16, ["V100 PCIe", "V100-PCIE-16GB", "Tesla V100-PCIE-16GB"], 2017, URL_V100, "fact"),
    ("NVIDIA Tesla V100 PCIe 32GB", 250, "gpu", NV, 32, ["V100 PCIe 32GB", "V100-PCIE-32GB", "Tesla V100-PCIE-32GB"], 2018, URL_V100, "fact"),
    ("NVIDIA Tesla V100 SXM2 16GB", 300, "gpu", NV, 16, ["V100", "V100 SXM2", "V100-SXM2-16GB", "Tesla V100", "Tesla V100-SXM2-16GB"], 2017, URL_V100, "fact"),
    ("NVIDIA Tesla V100 SXM2 32GB", 300, "gpu", NV, 32, ["V100-32GB", "V100 SXM2 32GB", "V100-SXM2-32GB", "Tesla V100-SXM2-32GB"], 2018, URL_V100, "fact"),
    ("NVIDIA Tesla V100 SXM3 32GB", 350, "gpu", NV, 32, ["V100 SXM3", "V100-SXM3-32GB", "Tesla V100-SXM3-32GB"], 2018,
     "NVIDIA DGX-2 datasheet (October 2018: 16 Tesla V100 32GB SXM3, 10 kW system) https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/dgx-2/dgx-2-print-datasheet-738070-nvidia-a4-web-uk.pdf; "
     "the 350 W per GPU is not printed there (only the 10 kW system): it is the standard DGX-2's V100 SXM3 power limit, "
     "not read from an NVIDIA document here; the DGX-2H raised the system to 12 kW with its GPUs at 450 W", "fact"),
    ("NVIDIA Tesla V100S PCIe 32GB", 250, "gpu", NV, 32, ["V100S", "Tesla V100S", "Tesla V100S-PCIE-32GB"], 2019, URL_V100, "fact"),
    ("NVIDIA T4", 70, "gpu", NV, 16, ["T4", "Tesla T4"], 2018, URL_T4, "fact"),
    ("NVIDIA A100 PCIe 40GB", 250, "gpu", NV, 40, ["A100 PCIe", "A100-PCIE-40GB", "A100 40GB PCIe"], 2020, URL_A100, "fact"),
    ("NVIDIA A100 PCIe 80GB", 300, "gpu", NV, 80, ["A100-PCIE-80GB", "A100 80GB PCIe"], 2021, URL_A100_80_PCIE, "fact"),
    ("NVIDIA A100 SXM4 40GB", 400, "gpu", NV, 40, ["A100", "A100-40GB", "A100 SXM", "A100 SXM4", "A100-SXM4-40GB"], 2020, URL_A100, "fact"),
    ("NVIDIA A100 SXM4 80GB", 400, "gpu", NV, 80, ["A100-80GB", "A100 80GB", "A100 SXM4 80GB", "A100-SXM4-80GB"], 2020, URL_A100, "fact"),
    ("NVIDIA A10", 150, "gpu", NV, 24, ["A10"], 2021, URL_A10, "fact"),
    ("NVIDIA A10G", 300, "gpu", NV, 24, ["A10G"], 2021,
     "AWS-only variant of the A10 with no public datasheet; nvidia-smi on AWS g5 instances reports a 300 W default power limit "
     "(techpowerup and mlco2/impact list 150 W, the A10 figure) https://aws.amazon.com/ec2/instance-types/g5/", "fact"),
    ("NVIDIA A16", 250, "gpu", NV, 64, ["A16"], 2021, URL_A16 + " (per board of 4 GPUs; nvidia-smi shows 4 devices of ~62 W)", "fact"),
    ("NVIDIA A30", 165, "gpu", NV, 24, ["A30"], 2021, URL_A30, "fact"),
    ("NVIDIA A40", 300, "gpu", NV, 48, ["A40"], 2020, URL_A40, "fact"),
    ("NVIDIA L4", 72, "gpu", NV, 24, ["L4"], 2023, URL_L4, "fact"),
    ("NVIDIA L40", 300, "gpu", NV, 48, ["L40"], 2022, URL_L40, "fact"),
    ("NVIDIA L40S", 350, "gpu", NV, 48, ["L40S"], 2023, URL_L40S, "fact"),
    ("NVIDIA H100 PCIe", 350, "gpu", NV, 80, ["H100 PCIe", "H100-PCIE-80GB"], 2022, URL_H100, "fact"),
    ("NVIDIA H100 SXM5 80GB", 700, "gpu", NV, 80, ["H100", "H100 SXM", "H100 SXM5", "H100-SXM5-80GB", "H100 80GB HBM3"], 2022, URL_H100, "fact"),
    ("NVIDIA H100 NVL", 400, "gpu", NV, 94, ["H100 NVL", "H100-NVL"], 2023, URL_H100 + " (350-400 W configurable; upper value)", "fact"),
    ("NVIDIA H200 SXM 141GB", 700, "gpu", NV, 141, ["H200", "H200 SXM"], 2024, URL_H200, "fact"),
    ("NVIDIA H200 NVL", 600, "gpu", NV, 141, ["H200 NVL"], 2024, URL_H200 + " (up to 600 W configurable)", "fact"),
    ("NVIDIA B200", 1000, "gpu", NV, 180, ["B200", "HGX B200"], 2024, URL_B200 + " (HGX B200, up to 1,000 W per GPU)", "fact"),
    ("NVIDIA GB200 (per Blackwell GPU)", 1200, "gpu", NV, 186, ["GB200", "GB200 NVL72"], 2024,
     URL_GB200 + " (per GPU in GB200 NVL72, up to 1,200 W; the Grace CPU of the superchip is not included)", "fact"),
    ("NVIDIA Jetson AGX Xavier", 30, "gpu", NV, 32, ["AGX Xavier", "Jetson AGX Xavier"], 2018,
     GA_VIA + "TDP_gpu.csv, https://www.techpowerup.com/gpu-specs/jetson-agx-xavier.c3232", CC_BY),
    # --- NVIDIA workstation ---
    ("NVIDIA Quadro K6000", 225, "gpu", NV, 12, ["Quadro K6000"], 2013, "techpowerup.com via " + MLCO2, "fact"),
    ("NVIDIA Quadro P6000", 250, "gpu", NV, 24, ["Quadro P6000"], 2016, "techpowerup.com via " + MLCO2, "fact"),
    ("NVIDIA Quadro RTX 8000", 260, "gpu", NV, 48, ["RTX 8000", "Quadro RTX 8000"], 2018, "techpowerup.com via " + MLCO2, "fact"),
    ("NVIDIA RTX A4000", 140, "gpu", NV, 16, ["RTX A4000", "A4000"], 2021, URL_RTXPRO, "fact"),
    ("NVIDIA RTX A5000", 230, "gpu", NV, 24, ["RTX A5000", "A5000"], 2021, URL_RTXPRO, "fact"),
    ("NVIDIA RTX A6000", 300, "gpu", NV, 48, ["RTX A6000", "A6000"], 2020, URL_RTXPRO, "fact"),
    ("NVIDIA RTX 6000 Ada Generation", 300, "gpu", NV, 48, ["RTX 6000 Ada", "RTX 6000"], 2022, URL_RTXPRO, "fact"),
    # --- NVIDIA consumer (nvidia-smi names) ---
    ("NVIDIA GeForce GTX 980", 165, "gpu", NV, 4, ["GTX 980"], 2014, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce GTX TITAN X", 250, "gpu", NV, 12, ["GTX TITAN X", "Titan X Maxwell"], 2015, URL_GEFORCE, "fact"),
    ("NVIDIA TITAN X (Pascal)", 250, "gpu", NV, 12, ["TITAN X Pascal", "Titan X"], 2016, URL_GEFORCE, "fact"),
    ("NVIDIA TITAN Xp", 250, "gpu", NV, 12, ["Titan Xp"], 2017, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce GTX 1080", 180, "gpu", NV, 8, ["GTX 1080"], 2016, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce GTX 1080 Ti", 250, "gpu", NV, 11, ["GTX 1080 Ti", "1080 Ti"], 2017, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce GTX 1660", 120, "gpu", NV, 6, ["GTX 1660"], 2019, URL_GEFORCE, "fact"),
    ("NVIDIA TITAN V", 250, "gpu", NV, 12, ["Titan V"], 2017, URL_GEFORCE, "fact"),
    ("NVIDIA TITAN RTX", 280, "gpu", NV, 24, ["Titan RTX"], 2018, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 2080", 215, "gpu", NV, 8, ["RTX 2080"], 2018, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 2080 Ti", 250, "gpu", NV, 11, ["RTX 2080 Ti", "2080 Ti"], 2018, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 3060", 170, "gpu", NV, 12, ["RTX 3060"], 2021, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 3070", 220, "gpu", NV, 8, ["RTX 3070"], 2020, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 3080", 320, "gpu", NV, 10, ["RTX 3080"], 2020, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 3080 Ti", 350, "gpu", NV, 12, ["RTX 3080 Ti"], 2021, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 3090", 350, "gpu", NV, 24, ["RTX 3090", "3090"], 2020, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 3090 Ti", 450, "gpu", NV, 24, ["RTX 3090 Ti"], 2022, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 4060", 115, "gpu", NV, 8, ["RTX 4060"], 2023, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 4070", 200, "gpu", NV, 12, ["RTX 4070"], 2023, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 4080", 320, "gpu", NV, 16, ["RTX 4080"], 2022, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 4090", 450, "gpu", NV, 24, ["RTX 4090", "4090"], 2022, URL_GEFORCE, "fact"),
    ("NVIDIA GeForce RTX 5090", 575, "gpu", NV, 32, ["RTX 5090", "5090"], 2025, URL_GEFORCE, "fact"),
    # --- AMD ---
    ("AMD Radeon RX 480", 150, "gpu", "AMD", 8, ["RX 480", "RX480"], 2016,
     GA_VIA + "TDP_gpu.csv, techpowerup.com", CC_BY),
    ("AMD Instinct MI100", 300, "gpu", "AMD", 32, ["MI100"], 2020, URL_AMD_INSTINCT, "fact"),
    ("AMD Instinct MI210", 300, "gpu", "AMD", 64, ["MI210"], 2022, URL_AMD_INSTINCT, "fact"),
    ("AMD Instinct MI250", 500, "gpu", "AMD", 128, ["MI250"], 2021, URL_AMD_INSTINCT, "fact"),
    ("AMD Instinct MI250X", 560, "gpu", "AMD", 128, ["MI250X", "MI250X OAM"], 2021, URL_AMD_INSTINCT + " (OAM module: 560 W peak total board power; systems that cap it at 500 W run the 500 W variant: give --gpu-power 500)", "fact"),
    ("AMD Instinct MI300X", 750, "gpu", "AMD", 192, ["MI300X"], 2023, URL_AMD_INSTINCT, "fact"),
    ("AMD Instinct MI300A", 550, "accelerator", "AMD", 128, ["MI300A"], 2023,
     URL_AMD_INSTINCT + " (APU with 24 CPU cores; 550 W TBP, up to 760 W peak)", "fact"),
    ("AMD Instinct MI325X", 1000, "gpu", "AMD", 256, ["MI325X"], 2024, URL_AMD_INSTINCT, "fact"),
    # --- Google TPU (per chip) ---
    ("Google TPU v2", 221, "tpu", "Google", 16, ["TPU v2", "TPUv2"], 2017, PATTERSON + " via " + MLCO2, "fact"),
    ("Google TPU v3", 283, "tpu", "Google", 32, ["TPU v3", "TPUv3"], 2018, PATTERSON + " via " + MLCO2, "fact"),
    ("Google TPU v4", 170, "tpu", "Google", 32, ["TPU v4", "TPUv4"], 2021,
     "Jouppi et al. 2023, TPU v4 (ISCA 2023, arXiv:2304.01433): mean power 170 W per chip (max 192 W); also "
     + GA_VIA + "TDP_gpu.csv", "fact"),
    ("Google TPU v5e", 170, "tpu", "Google", 16, ["TPU v5e", "TPUv5e", "TPU v5 lite"], 2023,
     "estimate: Google publishes no per-chip power for TPU v5e; assumed similar to TPU v4's measured 170 W mean "
     "(smaller chip, fewer FLOPS) https://cloud.google.com/tpu/docs/v5e", "fact"),
    ("Google TPU v5p", 300, "tpu", "Google", 95, ["TPU v5p", "TPUv5p"], 2023,
     "estimate: Google publishes no per-chip power for TPU v5p; ~1.7x TPU v4's 170 W mean scaled by peak bf16 FLOPS per "
     "process generation, rounded https://cloud.google.com/tpu/docs/v5p", "fact"),
    # --- Intel ---
    ("Intel Gaudi 2", 600, "accelerator", "Intel", 96, ["Gaudi2", "Gaudi 2", "HL-225"], 2022, URL_GAUDI, "fact"),
    ("Intel Gaudi 3", 900, "accelerator", "Intel", 128, ["Gaudi3", "Gaudi 3", "HL-325L"], 2024, URL_GAUDI + " (OAM HL-325L)", "fact"),
    ("Intel Data Center GPU Max 1550", 600, "gpu", "Intel", 128, ["Max 1550", "GPU Max 1550", "Ponte Vecchio 1550"], 2023, URL_MAX, "fact"),
    ("Intel Data Center GPU Max 1100", 300, "gpu", "Intel", 48, ["Max 1100", "GPU Max 1100"], 2023, URL_MAX, "fact"),
]


def build_gpus(ref):
    rows = []
    for name, tdp, kind, vendor, mem, aliases, year, source, lic in HAND_GPUS:
        row = OrderedDict([("name", name), ("tdp_w", tdp), ("kind", kind), ("vendor", vendor)])
        if mem is not None:
            row["memory_gb"] = mem
        if aliases:
            row["aliases"] = aliases
        row["source"] = source
        row["year"] = year
        row["licence"] = lic
        rows.append(row)

    # Cross-check the hand list against the reference tables and report disagreements
    # (the known bad mlco2 rows are expected to show up here).
    ga = os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "TDP_gpu.csv")
    ml = os.path.join(ref, "mlco2-impact", "gpus.csv")
    idx = {}
    for r in rows:
        for n in [r["name"]] + r.get("aliases", []):
            idx[key_of(n)] = r
            idx[key_of(re.sub(r"^(NVIDIA|AMD|Intel|Google) ", "", n))] = r
    notes = []
    for path, col_n, col_w, skip in ((ga, "model", "TDP", 1), (ml, "name", "tdp_watts", 0)):
        for r in read_csv(path, skip=skip):
            if (r.get("type") or "gpu") == "cpu":
                continue
            w = parse_watts(r[col_w])
            k = key_of(r[col_n])
            hit = idx.get(k) or idx.get(key_of(re.sub(r"^(NVIDIA|AMD) ", "", r[col_n].strip())))
            if hit is None:
                notes.append("  not taken: %s %r (%s W)" % (os.path.basename(path), r[col_n], r[col_w]))
            elif w is not None and abs(w - hit["tdp_w"]) > 0.5:
                notes.append("  differs:   %s %r %s W -> co2e %r %s W" % (os.path.basename(path), r[col_n], r[col_w], hit["name"], hit["tdp_w"]))
    print("gpus: %d rows" % len(rows))
    for n in notes:
        print(n)
    return rows


# ==========================================================================
# Regions
# ==========================================================================
GA_CODE_FIX = {"CA-MT": "CA-MB"}          # Manitoba is CA-MB in ISO 3166-2
GA_SUBDIV_SPECIAL = {
    # GA location -> (co2e code, country, name)
    "CN-HK": ("HK-HKELECTRIC", "HK", "Hong Kong (HK Electric grid)"),
    "CN-HK2": ("HK-CLP", "HK", "Hong Kong (CLP Power grid)"),
    "AU-NT2": ("AU-NT-DKIS", "AU", "Northern Territory (Darwin-Katherine Interconnected System)"),
    "AU-WA1": ("AU-WA-NWIS", "AU", "Western Australia (North West Interconnected System)"),
    "AU-WA2": ("AU-WA", "AU", "Western Australia (South West Interconnected System, Perth)"),
}
US_STATE_NAMES = {
    "US-MS": "Mississippi",
}


def ga_year(src, comment):
    text = (src or "") + " " + (comment or "")
    m = re.search(r"[Dd]ata from (\w+ )?(\d{4})", text)
    if m:
        return int(m.group(2))
    m = re.search(r"(\d{4})", text)
    return int(m.group(1)) if m else None


def ember_row(code, name, kind, value, year):
    """A grid row from Ember's 2025 release (lifecycle)."""
    return OrderedDict([
        ("code", code), ("name", name), ("kind", kind), ("intensity_g_per_kwh", value), ("basis", "lifecycle"),
        ("source", EMBER + " via thegreenwebfoundation/co2.js data/output/average-intensities.json (Apache-2.0)"),
        ("year", year), ("licence", CC_BY), ("release", EMBER_RELEASE), ("url", EMBER_VIA_URL),
        ("retrieved", EMBER_SNAPSHOT[1])])


def build_regions(ref):
    rows = []
    # The world and Ember's regions, from the same release as the countries. The world was IEA's
    # 2019 figure (475 g/kWh, direct) until release 2026-11.
    for code, ember_name, name, value in EMBER_AGGREGATES:
        row = ember_row(code, name, "world" if code == "WORLD" else "aggregate", value, EMBER_YEAR)
        row["note"] = ("Ember's world total; lifecycle only" if code == "WORLD" else
                       "Ember's aggregate \"%s\" (its own list of countries); lifecycle only" % ember_name)
        rows.append(row)

    # Countries: carbontracker (OWID/Ember), completed by CodeCarbon global_energy_mix.json (OWID)
    countries = {}
    for r in read_csv(os.path.join(ref, "carbontracker", "data", "carbon-intensities.csv")):
        a2, a3 = r["alpha-2"].strip(), r["Code"].strip()
        countries[a2] = OrderedDict([
            ("code", a2), ("name", r["Entity"].strip()), ("kind", "country"), ("iso3", a3),
            ("intensity_g_per_kwh", round(float(r["Carbon intensity of electricity (gCO2eq/kWh)"]), 2)),
            ("basis", "lifecycle"),
            ("source", OWID + " via " + CT), ("year", int(r["Year"])), ("licence", CC_BY),
            ("release", "OWID carbon-intensity-electricity (Ember yearly data, Energy Institute) via carbontracker %s" % CT_SNAPSHOT[0][:7]),
            ("url", OWID_URL), ("retrieved", CT_SNAPSHOT[1])])
    gem = json.load(open(os.path.join(ref, "codecarbon", "private_infra", "global_energy_mix.json")))
    a3_to_a2 = {v["iso3"]: k for k, v in countries.items()}
    A3_EXTRA = {"NAM": "NA"}     # Namibia's "NA" is lost as a missing value in the carbontracker file
    added_from_cc = []
    for a3, v in gem.items():
        a2 = a3_to_a2.get(a3) or A3_EXTRA.get(a3)
        if a2 is None:
            die("no alpha-2 code known for %s (%s)" % (a3, v.get("country_name")))
        cur = countries.get(a2)
        if cur is None or int(v["year"]) > cur["year"]:
            countries[a2] = OrderedDict([
                ("code", a2), ("name", v["country_name"]), ("kind", "country"), ("iso3", a3),
                ("intensity_g_per_kwh", round(float(v["carbon_intensity"]), 2)),
                ("basis", "lifecycle"),
                ("source", OWID + " via CodeCarbon private_infra/global_energy_mix.json (MIT)"),
                ("year", int(v["year"])), ("licence", CC_BY),
                ("release", "OWID carbon-intensity-electricity via CodeCarbon %s (v3.3.0)" % CC_SNAPSHOT[0][:7]),
                ("url", OWID_URL), ("retrieved", CC_SNAPSHOT[1])])
            added_from_cc.append(a2)
    # Ember's 2025 release replaces the OWID rows (the same series, a newer release); the few
    # places Ember lacks keep their OWID row, marked as such.
    A3_EMBER_NEW = {"XKX": ("XK", "Kosovo")}   # XK: the code the EU and ISO users assign to Kosovo
    from_ember = set()
    for a3, year, value in EMBER_COUNTRIES:
        a2 = a3_to_a2.get(a3) or A3_EXTRA.get(a3)
        name = countries[a2]["name"] if a2 in countries else None
        if a2 is None:
            if a3 not in A3_EMBER_NEW:
                die("Ember: no alpha-2 code known for %s" % a3)
            a2, name = A3_EMBER_NEW[a3]
        row = ember_row(a2, name, "country", value, year)
        row["iso3"] = a3
        row.move_to_end("iso3", last=False)
        for k in ("kind", "name", "code"):
            row.move_to_end(k, last=False)
        countries[a2] = row
        from_ember.add(a2)
    kept = sorted(a2 for a2 in countries if a2 not in from_ember)
    for a2 in kept:
        countries[a2]["note"] = "old figure kept: Ember's 2025 release has no figure for this place"
    # Ember computes a small grid's intensity from emissions and generation rounded to 0.01 Mt and
    # 0.01 TWh, so small grids share ratios (0.02 / 0.03 = 666.67, 0.11 / 0.18 = 611.11): real
    # figures of low precision, not placeholders. Say so on every row whose figure another
    # country shares (issue 14: no two places may share a value unexplained); the build's audit
    # lists them.
    shared = Counter((v["release"], v["intensity_g_per_kwh"]) for v in countries.values())
    for v in countries.values():
        n = shared[(v["release"], v["intensity_g_per_kwh"])]
        if n >= 2:
            note = ("low precision: %d countries share this figure, a ratio of emissions and generation that Ember "
                    "rounds to 0.01 Mt and 0.01 TWh for small grids" % n)
            v["note"] = note + ("; " + v["note"] if v.get("note") else "")
    for a2 in sorted(countries):
        rows.append(countries[a2])
    print("regions: %d countries (%d from Ember 2025; kept from OWID/CodeCarbon: %s)" % (
        len(countries), len(from_ember), ", ".join(kept)))

    # Sub-national rows: Green Algorithms v3.0 CI_aggregated.csv, then the newer official figures
    # (eGRID2023, ECCC 2026, NGA 2025) over them; GA's rows stay only where nothing newer exists.
    ga_ci = read_csv(os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "CI_aggregated.csv"), skip=1)
    sub = {}
    for r in ga_ci:
        loc = r["location"].strip()
        if r["Type"].strip() != "Region" or loc == "TW":      # Taiwan: country row from OWID is newer
            continue
        year = ga_year(r["source"], r["comments"])
        if loc in GA_SUBDIV_SPECIAL:
            code, country, name = GA_SUBDIV_SPECIAL[loc]
        else:
            code = GA_CODE_FIX.get(loc, loc)
            country = code.split("-")[0]
            name = US_STATE_NAMES.get(code, r["regionName"].strip())
        name = {"Washington DC": "District of Columbia", "Yukon Territory": "Yukon"}.get(name, name)
        src = GA_VIA + "CI_aggregated.csv, " + r["source"].strip()
        if r["comments"].strip():
            src += " (" + r["comments"].strip() + ")"
        why = {"US": "not in eGRID2023",
               "CA": "not in ECCC's Table 5.4",
               "AU": "not covered by the NGA Factors grids",
               "HK": "no newer figure in the pinned snapshots"}[country]
        sub[code] = OrderedDict([
            ("code", code), ("name", name), ("kind", "subdivision"), ("country", country),
            ("intensity_g_per_kwh", num(r["carbonIntensity"])), ("basis", "direct"),
            ("source", src), ("year", year), ("licence", CC_BY),
            ("release", "Green Algorithms v3.0 CI_aggregated.csv (carbonfootprint.com, March 2022)"),
            ("url", GA_CI_URL), ("retrieved", GA_SNAPSHOT[1]),
            ("note", "old figure kept (%s); generation-based (combustion, direct) national-inventory or eGRID-derived factor, "
                     "some with grid losses included" % why)])

    # Australia: the NGA Factors replace the 2019 figures where the NGA names the grid: the 2025
    # edition, and the 2024 one for the NWIS, which no 2025 transcription obtained has.
    def nga_row(code, grid, s2, s3, edition, url, via, note):
        old = sub.get(code)
        if old is None:
            die("NGA grid %s (%s) has no co2e row" % (code, grid))
        return OrderedDict([
            ("code", code), ("name", old["name"]), ("kind", "subdivision"), ("country", "AU"),
            ("intensity_g_per_kwh", round(s2 * 1000, 1)), ("basis", "direct"),
            ("lifecycle_g_per_kwh", round((s2 + s3) * 1000, 1)),
            ("source", "Australian Government DCCEEW, National Greenhouse Accounts Factors %d, Table 1, electricity "
                       "consumed from the %s grid: scope 2 (direct) %.2f and scope 3 %.2f kg CO2-e/kWh; lifecycle = "
                       "scope 2 + scope 3; %s" % (edition, grid, s2, s3, via)),
            ("year", edition), ("licence", CC_BY), ("release", "National Greenhouse Accounts Factors %d" % edition),
            ("url", url), ("retrieved", "2026-11-29"), ("note", note)])
    for code, (grid, s2, s3) in NGA_2025.items():
        sub[code] = nga_row(code, grid, s2, s3, 2025, NGA_2025_URL,
                            "read from public transcriptions (scope 2 in three independent ones, scope 3 in one)",
                            "year is the edition of the NGA Factors; scope 3 includes network losses")
    for code, (grid, s2, s3) in NGA_2024.items():
        sub[code] = nga_row(code, grid, s2, s3, 2024, NGA_2024_URL, "transcribed via %s" % NGA_2024_VIA,
                            "old figure kept (NGA 2024): the NWIS row of the 2025 edition was not obtained; year is "
                            "the edition of the NGA Factors; scope 3 includes network losses")

    # US states and DC: eGRID2023 replaces GA's 2020 figures; eGRID's subregions are added.
    def egrid_row(code, name, lb, what):
        return OrderedDict([
            ("code", code), ("name", name), ("kind", "subdivision"), ("country", "US"),
            ("intensity_g_per_kwh", round(lb * LB_PER_MWH_TO_G_PER_KWH, 2)), ("basis", "direct"),
            # One source text per table of the dataset (the figure is in the row), so reports cite it once.
            ("source", "US EPA eGRID2023 rev. 2, %s annual CO2 total output emission rate, lb/MWh x 0.45359237 "
                       "(public domain); transcribed via %s" % (what, EGRID_2023_VIA)),
            ("year", 2023), ("licence", "public-domain"), ("release", EGRID_2023_RELEASE),
            ("url", EGRID_2023_URL), ("retrieved", "2026-11-29"),
            ("note", "CO2 only (eGRID's CO2e rate, with CH4 and N2O, is 0.2-0.9 %% higher); generation within "
                     "the %s, imports not counted" % ("state" if what.startswith("state") else "subregion"))])
    for st, lb in EGRID_2023_STATES.items():
        code = "US-" + st
        if code not in sub:
            die("eGRID state %s has no co2e row" % code)
        sub[code] = egrid_row(code, sub[code]["name"], lb, "state (ST23 STCO2RTA)")
    for acr, (name, lb) in EGRID_2023_SUBREGIONS.items():
        sub["US-" + acr] = egrid_row("US-" + acr, "eGRID subregion %s (%s)" % (acr, name), lb, "subregion (SRL23 SRCO2RTA)")

    # Canadian provinces and territories: ECCC's 2026 table (data year 2024) replaces GA's 2019 figures.
    for code, g in ECCC_2026.items():
        if code not in sub:
            die("ECCC province %s has no co2e row" % code)
        sub[code] = OrderedDict([
            ("code", code), ("name", sub[code]["name"]), ("kind", "subdivision"), ("country", "CA"),
            ("intensity_g_per_kwh", num(g)), ("basis", "direct"),
            ("source", "Environment and Climate Change Canada, Emission factors and reference values v4.0 (2026-09-09, "
                       "En84-294-2026), Table 5.4, electricity consumption intensity in g CO2e/kWh, from the National "
                       "Inventory Report 1990-2024 Tables A7-2 to A7-14 (Open Government Licence - Canada); transcribed "
                       "via %s" % ECCC_2026_VIA),
            ("year", 2024), ("licence", "OGL-Canada-2.0"), ("release", ECCC_2026_RELEASE),
            ("url", ECCC_2026_URL), ("retrieved", "2026-11-29"),
            ("note", "consumption intensity: generation emissions (CO2, CH4, N2O, SF6) over electricity consumed, "
                     "so transmission losses are included")])
    old_us_ca = sorted(c for c, r in sub.items() if c[:2] in ("US", "CA") and r["release"].startswith("Green Algorithms"))
    if old_us_ca:
        die("US/Canadian rows left on Green Algorithms figures: " + ", ".join(old_us_ca))

    # The Nordic bidding zones (SE1-SE4, NO1-NO5) were removed in release 2026-11: CodeCarbon's
    # nordic_emissions.json gave all nine the same 18 g/kWh (a placeholder, with SE3/SE4 labelled
    # the wrong way round), and no per-zone figures under a compatible licence were obtained.

    for code in sorted(sub):
        rows.append(sub[code])
    print("regions: %d subdivisions (%d US states and DC, %d eGRID subregions from eGRID2023, %d from ECCC 2026, "
          "%d from NGA 2025, %d from NGA 2024)" % (len(sub), len(EGRID_2023_STATES), len(EGRID_2023_SUBREGIONS), len(ECCC_2026), len(NGA_2025), len(NGA_2024)))
    return rows


# ==========================================================================
# Cloud regions
# ==========================================================================
AWS_REGIONS = [
    ("us-east-1", "US East (N. Virginia)", "US-VA"), ("us-east-2", "US East (Ohio)", "US-OH"),
    ("us-west-1", "US West (N. California)", "US-CA"), ("us-west-2", "US West (Oregon)", "US-OR"),
    ("af-south-1", "Africa (Cape Town)", "ZA"), ("ap-east-1", "Asia Pacific (Hong Kong)", "HK"),
    ("ap-east-2", "Asia Pacific (Taipei)", "TW"),
    ("ap-south-1", "Asia Pacific (Mumbai)", "IN"), ("ap-south-2", "Asia Pacific (Hyderabad)", "IN"),
    ("ap-southeast-1", "Asia Pacific (Singapore)", "SG"), ("ap-southeast-2", "Asia Pacific (Sydney)", "AU-NSW"),
    ("ap-southeast-3", "Asia Pacific (Jakarta)", "ID"), ("ap-southeast-4", "Asia Pacific (Melbourne)", "AU-VIC"),
    ("ap-southeast-5", "Asia Pacific (Malaysia)", "MY"), ("ap-southeast-7", "Asia Pacific (Thailand)", "TH"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)", "JP"), ("ap-northeast-2", "Asia Pacific (Seoul)", "KR"),
    ("ap-northeast-3", "Asia Pacific (Osaka)", "JP"),
    ("ca-central-1", "Canada (Central, Montreal)", "CA-QC"), ("ca-west-1", "Canada West (Calgary)", "CA-AB"),
    ("eu-central-1", "Europe (Frankfurt)", "DE"), ("eu-central-2", "Europe (Zurich)", "CH"),
    ("eu-west-1", "Europe (Ireland)", "IE"), ("eu-west-2", "Europe (London)", "GB"),
    ("eu-west-3", "Europe (Paris)", "FR"), ("eu-south-1", "Europe (Milan)", "IT"),
    ("eu-south-2", "Europe (Spain)", "ES"), ("eu-north-1", "Europe (Stockholm)", "SE"),
    ("il-central-1", "Israel (Tel Aviv)", "IL"), ("me-south-1", "Middle East (Bahrain)", "BH"),
    ("me-central-1", "Middle East (UAE)", "AE"), ("mx-central-1", "Mexico (Central)", "MX"),
    ("sa-east-1", "South America (Sao Paulo)", "BR"),
    ("us-gov-east-1", "AWS GovCloud (US-East)", "US-OH"), ("us-gov-west-1", "AWS GovCloud (US-West)", "US-OR"),
    ("cn-north-1", "China (Beijing)", "CN"), ("cn-northwest-1", "China (Ningxia)", "CN"),
]

# GCP region -> (location, display name)
GCP_REGIONS = OrderedDict([
    ("africa-south1", ("ZA", "Johannesburg, South Africa")),
    ("asia-east1", ("TW", "Changhua County, Taiwan")),
    ("asia-east2", ("HK", "Hong Kong")),
    ("asia-northeast1", ("JP", "Tokyo, Japan")),
    ("asia-northeast2", ("JP", "Osaka, Japan")),
    ("asia-northeast3", ("KR", "Seoul, South Korea")),
    ("asia-south1", ("IN", "Mumbai, India")),
    ("asia-south2", ("IN", "Delhi, India")),
    ("asia-southeast1", ("SG", "Jurong West, Singapore")),
    ("asia-southeast2", ("ID", "Jakarta, Indonesia")),
    ("australia-southeast1", ("AU-NSW", "Sydney, Australia")),
    ("australia-southeast2", ("AU-VIC", "Melbourne, Australia")),
    ("europe-central2", ("PL", "Warsaw, Poland")),
    ("europe-north1", ("FI", "Hamina, Finland")),
    ("europe-north2", ("SE", "Stockholm, Sweden")),
    ("europe-southwest1", ("ES", "Madrid, Spain")),
    ("europe-west1", ("BE", "St. Ghislain, Belgium")),
    ("europe-west2", ("GB", "London, United Kingdom")),
    ("europe-west3", ("DE", "Frankfurt, Germany")),
    ("europe-west4", ("NL", "Eemshaven, Netherlands")),
    ("europe-west6", ("CH", "Zurich, Switzerland")),
    ("europe-west8", ("IT", "Milan, Italy")),
    ("europe-west9", ("FR", "Paris, France")),
    ("europe-west10", ("DE", "Berlin, Germany")),
    ("europe-west12", ("IT", "Turin, Italy")),
    ("me-central1", ("QA", "Doha, Qatar")),
    ("me-central2", ("SA", "Dammam, Saudi Arabia")),
    ("me-west1", ("IL", "Tel Aviv, Israel")),
    ("northamerica-northeast1", ("CA-QC", "Montreal, Quebec, Canada")),
    ("northamerica-northeast2", ("CA-ON", "Toronto, Ontario, Canada")),
    ("northamerica-south1", ("MX", "Queretaro, Mexico")),
    ("southamerica-east1", ("BR", "Sao Paulo, Brazil")),
    ("southamerica-west1", ("CL", "Santiago, Chile")),
    ("us-central1", ("US-IA", "Council Bluffs, Iowa, USA")),
    ("us-central2", ("US-OK", "Pryor, Oklahoma, USA")),
    ("us-east1", ("US-SC", "Moncks Corner, South Carolina, USA")),
    ("us-east2", ("US-GA", "Georgia, USA")),
    ("us-east4", ("US-VA", "Ashburn, Northern Virginia, USA")),
    ("us-east5", ("US-OH", "Columbus, Ohio, USA")),
    ("us-south1", ("US-TX", "Dallas, Texas, USA")),
    ("us-west1", ("US-OR", "The Dalles, Oregon, USA")),
    ("us-west2", ("US-CA", "Los Angeles, California, USA")),
    ("us-west3", ("US-UT", "Salt Lake City, Utah, USA")),
    ("us-west4", ("US-NV", "Las Vegas, Nevada, USA")),
])

# AWS regions whose location AWS does not publish: the mapping is an assumption, said in the row.
AWS_ASSUMED = {
    "us-gov-west-1": "assumption: AWS does not publish where GovCloud (US-West) is; Oregon is the common assumption "
                     "(the location of us-west-2)",
    "us-gov-east-1": "assumption: AWS does not publish where GovCloud (US-East) is; Ohio is the common assumption "
                     "(the location of us-east-2)",
}

# Azure region code -> (display name, city, location). Locations follow Green Algorithms v3.0
# cloudProviders_datacenters.csv where it has the region; the rest are public region facts.
AZURE_REGIONS = OrderedDict([
    ("southafricanorth", ("South Africa North", "Johannesburg", "ZA")),
    ("southafricawest", ("South Africa West", "Cape Town", "ZA")),
    ("eastasia", ("East Asia", "Hong Kong", "HK")),
    ("southeastasia", ("Southeast Asia", "Singapore", "SG")),
    ("australiacentral", ("Australia Central", "Canberra", "AU-ACT")),
    ("australiacentral2", ("Australia Central 2", "Canberra", "AU-ACT")),
    ("australiaeast", ("Australia East", "New South Wales", "AU-NSW")),
    ("australiasoutheast", ("Australia Southeast", "Victoria", "AU-VIC")),
    ("brazilsouth", ("Brazil South", "Sao Paulo", "BR")),
    ("brazilsoutheast", ("Brazil Southeast", "Rio de Janeiro", "BR")),
    ("canadacentral", ("Canada Central", "Toronto", "CA-ON")),
    ("canadaeast", ("Canada East", "Quebec City", "CA-QC")),
    ("chinaeast", ("China East", "Shanghai", "CN")),
    ("chinaeast2", ("China East 2", "Shanghai", "CN")),
    ("chinaeast3", ("China East 3", "Shanghai", "CN")),
    ("chinanorth", ("China North", "Beijing", "CN")),
    ("chinanorth2", ("China North 2", "Beijing", "CN")),
    ("chinanorth3", ("China North 3", "Hebei", "CN")),
    ("northeurope", ("North Europe", "Ireland", "IE")),
    ("westeurope", ("West Europe", "Netherlands", "NL")),
    ("francecentral", ("France Central", "Paris", "FR")),
    ("francesouth", ("France South", "Marseille", "FR")),
    ("germanycentral", ("Germany Central (Sovereign)", "Frankfurt", "DE")),
    ("germanynortheast", ("Germany Northeast (Sovereign)", "Magdeburg", "DE")),
    ("germanynorth", ("Germany North", "Berlin", "DE")),
    ("germanywestcentral", ("Germany West Central", "Frankfurt", "DE")),
    ("centralindia", ("Central India", "Pune", "IN")),
    ("southindia", ("South India", "Chennai", "IN")),
    ("westindia", ("West India", "Mumbai", "IN")),
    ("jioindiacentral", ("Jio India Central", "Nagpur", "IN")),
    ("jioindiawest", ("Jio India West", "Jamnagar", "IN")),
    ("indonesiacentral", ("Indonesia Central", "Jakarta", "ID")),
    ("malaysiawest", ("Malaysia West", "Kuala Lumpur", "MY")),
    ("israelcentral", ("Israel Central", "Israel", "IL")),
    ("italynorth", ("Italy North", "Milan", "IT")),
    ("japaneast", ("Japan East", "Tokyo, Saitama", "JP")),
    ("japanwest", ("Japan West", "Osaka", "JP")),
    ("koreacentral", ("Korea Central", "Seoul", "KR")),
    ("koreasouth", ("Korea South", "Busan", "KR")),
    ("mexicocentral", ("Mexico Central", "Queretaro", "MX")),
    ("newzealandnorth", ("New Zealand North", "Auckland", "NZ")),
    ("norwayeast", ("Norway East", "Oslo", "NO")),
    ("norwaywest", ("Norway West", "Stavanger", "NO")),
    ("polandcentral", ("Poland Central", "Warsaw", "PL")),
    ("qatarcentral", ("Qatar Central", "Doha", "QA")),
    ("spaincentral", ("Spain Central", "Madrid", "ES")),
    ("swedencentral", ("Sweden Central", "Gavle", "SE")),
    ("swedensouth", ("Sweden South", "Malmo", "SE")),
    ("switzerlandnorth", ("Switzerland North", "Zurich", "CH")),
    ("switzerlandwest", ("Switzerland West", "Geneva", "CH")),
    ("uaecentral", ("UAE Central", "Abu Dhabi", "AE")),
    ("uaenorth", ("UAE North", "Dubai", "AE")),
    ("uksouth", ("UK South", "London", "GB")),
    ("ukwest", ("UK West", "Cardiff", "GB")),
    ("centralus", ("Central US", "Iowa", "US-IA")),
    ("eastus", ("East US", "Virginia", "US-VA")),
    ("eastus2", ("East US 2", "Virginia", "US-VA")),
    ("northcentralus", ("North Central US", "Illinois", "US-IL")),
    ("southcentralus", ("South Central US", "Texas", "US-TX")),
    ("westcentralus", ("West Central US", "Wyoming", "US-WY")),
    ("westus", ("West US", "California", "US-CA")),
    ("westus2", ("West US 2", "Washington", "US-WA")),
    ("westus3", ("West US 3", "Arizona", "US-AZ")),
    ("usgovvirginia", ("US Gov Virginia", "Virginia", "US-VA")),
    ("usgovarizona", ("US Gov Arizona", "Arizona", "US-AZ")),
    ("usgovtexas", ("US Gov Texas", "Texas", "US-TX")),
])


def build_cloud_regions(ref, region_codes):
    rows = []
    ga_dc = read_csv(os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "cloudProviders_datacenters.csv"), skip=1)
    ga_gcp = {r["Name"].strip(): r for r in ga_dc if r["provider"] == "gcp"}
    ga_az = {re.sub(r"[^a-z0-9]", "", re.sub(r"\(.*?\)|Northeastt", lambda m: "Northeast" if m.group(0) == "Northeastt" else "", r["Name"]).lower()): r
             for r in ga_dc if r["provider"] == "azure"}

    # AWS: public region list (fact); experiment-impact-tracker / mlco2 lists are subsets of it.
    for code, name, loc in AWS_REGIONS:
        row = OrderedDict([("code", "aws:" + code), ("provider", "aws"), ("name", name), ("location", loc)])
        if code in AWS_ASSUMED:
            row["location_note"] = AWS_ASSUMED[code]
        row.update([("source", AWS_DOC), ("year", 2025), ("licence", "fact")])
        rows.append(row)

    # GCP: Google's own 2024 grid intensity (region-carbon-info, Apache-2.0) beside the location's
    # figure; PUE from Green Algorithms v3.0.
    for reg, (loc, disp) in GCP_REGIONS.items():
        row = OrderedDict([("code", "gcp:" + reg), ("provider", "gcp"), ("name", disp), ("location", loc)])
        srcs, lics, year = [], [], 2025
        if reg in GOOGLE_2024:
            row.update([
                ("intensity_g_per_kwh", GOOGLE_2024[reg]), ("intensity_basis", "direct"),
                ("intensity_source", "Google Cloud region carbon data 2024, grid carbon intensity (average operational gross "
                                     "emissions of the local grid) https://cloud.google.com/sustainability/region-carbon"),
                ("intensity_year", 2024), ("intensity_licence", "Apache-2.0"),
                ("intensity_release", "GoogleCloudPlatform/region-carbon-info data/yearly/2024.csv @ %s" % GOOGLE_2024_COMMIT[:7]),
                ("intensity_url", GOOGLE_2024_URL), ("intensity_retrieved", "2026-11-29")])
        g = ga_gcp.get(reg)
        if g and g["PUE"].strip():
            row["pue"] = num(g["PUE"])
            srcs.append("PUE: " + GA_VIA + "cloudProviders_datacenters.csv, " + g["source_PUE"].strip())
            lics.append(CC_BY)
        if g and g["location"].strip() and g["location"].strip() not in (loc, "CN-HK"):
            die("GCP %s: location %s differs from Green Algorithms %s" % (reg, loc, g["location"]))
        srcs.append("region: " + GCP_DOC)
        row["source"] = "; ".join(srcs)
        row["year"] = year
        row["licence"] = " AND ".join(lics) if lics else "fact"
        rows.append(row)
    missing = sorted(set(GOOGLE_2024) - set(GCP_REGIONS))
    if missing:
        die("GCP regions in Google's 2024 file without a location mapping: %s" % missing)

    # Azure
    for reg, (disp, city, loc) in AZURE_REGIONS.items():
        g = ga_az.get(reg)
        if g:
            gl = g["location"].strip()
            if gl and gl not in (loc, "CN-HK"):
                die("Azure %s: location %s differs from Green Algorithms %s" % (reg, loc, gl))
            src, lic, year = GA_VIA + "cloudProviders_datacenters.csv, " + g["source_datacentre"].strip(), CC_BY, 2020
        else:
            src, lic, year = AZ_DOC, "fact", 2025
        name = disp if city in disp else "%s (%s)" % (disp, city)
        rows.append(OrderedDict([("code", "azure:" + reg), ("provider", "azure"), ("name", name), ("location", loc),
                                 ("source", src), ("year", year), ("licence", lic)]))
    unused = sorted(set(ga_az) - set(AZURE_REGIONS))
    if unused:
        die("Azure regions in Green Algorithms without a co2e entry: %s" % unused)

    bad = [r["code"] + " -> " + r["location"] for r in rows if r["location"] not in region_codes]
    if bad:
        die("cloud region locations missing from regions.json: " + ", ".join(bad))
    print("cloud_regions: %d rows (aws %d, gcp %d, azure %d; %d with provider-published intensity, %d with PUE)" % (
        len(rows), len(AWS_REGIONS), len(GCP_REGIONS), len(AZURE_REGIONS),
        sum(1 for r in rows if "intensity_g_per_kwh" in r), sum(1 for r in rows if "pue" in r)))
    return rows


# ==========================================================================
# Providers, equivalences, constants
# ==========================================================================
def build_providers(ref):
    pue = {}
    for r in read_csv(os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "defaults_PUE.csv"), skip=1):
        pue[r["provider"].strip().lower()] = (num(r["PUE"]), r["source"].strip())
    g = lambda k: pue[k]

    def ga_row(pid, name, kind, key, aliases=(), note=""):
        v, src = g(key)
        row = OrderedDict([("id", pid), ("name", name), ("kind", kind), ("pue", v)])
        if aliases:
            row["aliases"] = list(aliases)
        row["source"] = (note + "; " if note else "") + GA_VIA + "defaults_PUE.csv, " + src
        row["year"] = 2024 if key == "unknown" else 2023
        row["licence"] = CC_BY
        return row

    rows = [
        ga_row("local", "Local server / data centre (unknown PUE)", "platform", "unknown",
               ("server", "datacentre", "data centre", "datacenter", "hpc"),
               note="Uptime Institute Global Data Center Survey 2024 average"),
        OrderedDict([("id", "personal"), ("name", "Personal computer", ), ("kind", "platform"), ("pue", 1.0),
                     ("aliases", ["pc", "laptop", "desktop", "workstation"]),
                     ("source", "Green Algorithms v3.0 calculator convention (CC BY 4.0): no facility overhead for a personal computer https://calculator.green-algorithms.org"),
                     ("year", 2025), ("licence", CC_BY)]),
        ga_row("cloud", "Cloud provider (unknown)", "platform", "aws", (),
               note="co2e default for an unknown cloud: the most conservative (highest) of the AWS/GCP/Azure defaults, i.e. the AWS value"),
        ga_row("aws", "Amazon Web Services", "cloud", "aws", ("amazon", "amazon web services", "ec2")),
        ga_row("gcp", "Google Cloud", "cloud", "gcp", ("google", "google cloud", "gcloud", "google cloud platform")),
        ga_row("azure", "Microsoft Azure", "cloud", "azure", ("microsoft", "microsoft azure")),
        ga_row("ovhcloud", "OVHcloud", "cloud", "ovhcloud", ("ovh",)),
        ga_row("oracle", "Oracle Cloud Infrastructure", "cloud", "oracle", ("oci", "oracle cloud")),
        OrderedDict([("id", "gcp-fleet-2023"), ("name", "Google data centres, fleet-wide trailing-twelve-month PUE 2023"),
                     ("kind", "cloud"), ("pue", 1.10),
                     ("source", "Google 2024 Environmental Report / data centre efficiency page https://www.google.com/about/datacenters/efficiency/"),
                     ("year", 2023), ("licence", "fact")]),
    ]
    print("providers: %d rows" % len(rows))
    return rows


def build_equivalences(ref):
    rv = {}
    for r in read_csv(os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "referenceValues.csv"), skip=1):
        rv[r["variable"].strip()] = (num(r["value"]), r["source"].strip())
    tree_src = rv["treeYear"][1]
    spec = [
        ("tree_month", "tree-months", "tree_month", 2002, "11 kg CO2 absorbed per tree per year / 12; " + tree_src),
        ("car_km_eu", "km in an EU passenger car", "passengerCar_EU_perkm", 2019, None),
        ("car_km_us", "km in a US passenger car", "passengerCar_US_perkm", 2018, None),
        ("flight_paris_london", "flights Paris-London (one passenger)", "flight_PAR-LON", 2020, None),
        ("flight_paris_dublin", "flights Paris-Dublin (one passenger)", "flight_PAR-DUB", 2025, None),
        ("flight_nyc_sf", "flights New York-San Francisco (one passenger)", "flight_NY-SF", 2020, None),
        ("flight_nyc_melbourne", "flights New York-Melbourne (one passenger)", "flight_NYC-MEL", 2020, None),
    ]
    rows = []
    for eid, name, var, year, src in spec:
        v, s = rv[var]
        rows.append(OrderedDict([("id", eid), ("name", name), ("g_per_unit", v),
                                 ("source", GA_VIA + "referenceValues.csv " + var + ", " + (src or s)),
                                 ("year", year), ("licence", CC_BY)]))
    expect = {"tree_month": 917, "car_km_eu": 175, "car_km_us": 251, "flight_paris_dublin": 110000,
              "flight_paris_london": 50000, "flight_nyc_sf": 570000, "flight_nyc_melbourne": 2310000}
    for r in rows:
        if r["g_per_unit"] != expect[r["id"]]:
            die("equivalence %s = %s, expected %s" % (r["id"], r["g_per_unit"], expect[r["id"]]))
    print("equivalences: %d rows" % len(rows))
    return rows

# Range constants (issue 17, docs/methodology.md "Ranges"): the low and high bounds of the inputs
# co2e does not know exactly. Hand-curated from the sources named in each row; the percentile rows
# were computed from co2e's own tables of release 2026-11 (recompute them when those tables change).
RANGE_CONSTANTS = [
    ("range_cpu_draw_low", 0.5, "Range (issue 17): lowest CPU package power at full load as a fraction of TDP, for a power taken from a CPU model's TDP.",
     "CodeCarbon hardware/cpu_load_profiling (MIT), 2025-01-14: RAPL package power at 100 % load on all cores: AMD EPYC 8024P 46 W of 90 W TDP (0.51), Xeon E3-1240 v2 48 W of 69 W (0.70), 2x Xeon E5-2620 v3 117 W of 170 W (0.69), Threadripper 1950X 167 W of 180 W (0.93)", 2025, "MIT"),
    ("range_cpu_draw_high", 1.3, "Range (issue 17): highest CPU package power at full load as a fraction of TDP (turbo power limits above TDP).",
     "CodeCarbon hardware/cpu_load_profiling (MIT), 2025-01-14: one Xeon E3-1240 v2 run read 89 W of 69 W TDP (1.29) at full load", 2025, "MIT"),
    ("range_gpu_draw_low", 0.75, "Range (issue 17): lowest average GPU power in training as a fraction of TDP, for a power taken from a GPU model's TDP.",
     "Latif et al. 2025, Empirically-calibrated H100 node power models for reducing uncertainty in AI training energy estimation, arXiv:2506.14551: compute-intensive training at 76 % of the 8x H100 node's 10.2 kW rating", 2025, "fact"),
    ("range_gpu_draw_high", 1.1, "Range (issue 17): highest average GPU power in training as a fraction of TDP.",
     "Patterson et al. 2021, Carbon emissions and large neural network training, arXiv:2104.10350: GPT-3 at 330 W measured per 300 W V100 (1.1); BLOOM at ~400 W per 400 W A100 (Luccioni et al. 2023, JMLR 24(253)): 1.0", 2021, "fact"),
    ("range_usage_low", 0.5, "Range (issue 17): lowest usage factor when none is given and the power is a TDP (the default usage is 1).",
     "co2e's choice: shared GPU platforms report many jobs at or below 50 % utilisation (Gao et al., ICSE 2024, doi:10.1145/3597503.3639232: 400 Microsoft jobs at 50 % or less); not lower, because idle power keeps a chip's draw well above zero", 2024, "fact"),
    ("range_default_core_power_low_w", 2.3, "Range (issue 17): lowest TDP per core, W, for the default ('Any') CPU: 5th percentile of TDP / cores over the CPU table.",
     "co2e data/cpus.json (2888 models, release 2026-11): 5th percentile of tdp_w / cores", 2026, "MIT"),
    ("range_default_core_power_high_w", 26.5, "Range (issue 17): highest TDP per core, W, for the default ('Any') CPU: 95th percentile of TDP / cores over the CPU table.",
     "co2e data/cpus.json (2888 models, release 2026-11): 95th percentile of tdp_w / cores", 2026, "MIT"),
    ("range_default_gpu_power_low_w", 115, "Range (issue 17): lowest TDP, W, for the default ('Any') GPU: 5th percentile over the GPU table.",
     "co2e data/gpus.json (80 models, release 2026-11): 5th percentile of tdp_w", 2026, "MIT"),
    ("range_default_gpu_power_high_w", 900, "Range (issue 17): highest TDP, W, for the default ('Any') GPU: 95th percentile over the GPU table.",
     "co2e data/gpus.json (80 models, release 2026-11): 95th percentile of tdp_w", 2026, "MIT"),
    ("range_memory_power_low_w_per_gb", 0.08, "Range (issue 17): lowest memory power, W/GB, when --memory-power is not given.",
     "CodeCarbon (MIT) counts ~5 W per DIMM since 2025: 5 W on a 64 GB DIMM is 0.08 W/GB; the ~0.08 W/GB proposal discussed for Green Algorithms", 2025, "fact"),
    ("range_memory_power_high_w_per_gb", 0.6, "Range (issue 17): highest memory power, W/GB, when --memory-power is not given.",
     "CodeCarbon (MIT) counts ~5 W per DIMM since 2025: 5 W on an 8 GB DIMM is 0.625 W/GB", 2025, "fact"),
    ("range_pue_overhead_low", 0.5, "Range (issue 17): a table PUE's overhead (PUE - 1) times this is its low bound.",
     "co2e's choice from published spreads: Google's per-campus trailing-twelve-month PUEs lie from about 1.06 to 1.2 around its fleet's 1.10 (google.com/about/datacenters/efficiency); Uptime Institute Global Data Center Survey 2023: average 1.58, sites from below 1.3 to above 2", 2023, "fact"),
    ("range_pue_overhead_high", 2, "Range (issue 17): a table PUE's overhead (PUE - 1) times this is its high bound.",
     "co2e's choice from published spreads: Google's per-campus trailing-twelve-month PUEs lie from about 1.06 to 1.2 around its fleet's 1.10 (google.com/about/datacenters/efficiency); Uptime Institute Global Data Center Survey 2023: average 1.58, sites from below 1.3 to above 2", 2023, "fact"),
    ("range_grid_year_spread", 0.15, "Range (issue 17): a table grid factor times (1 - this) to (1 + this): how far a place's annual factor moves between the data's year and a job's a few years away.",
     "Our World in Data / Ember, carbon intensity of electricity (CC BY 4.0): annual factors of large grids move by 5-15 % a year (United Kingdom about -17 % from 2019 to 2023)", 2023, "CC-BY-4.0"),
    ("range_grid_basis_factor", 1.25, "Range (issue 17): lifecycle / direct factor ratio, applied when the figure's basis is not the one asked for, or is not stated.",
     "IPCC AR5 WG3 Annex III (2014) lifecycle factors against combustion-only factors: lifecycle ~10-25 % higher for fossil-heavy grids (METHODS.md, Grid factor bases)", 2014, "fact"),
    ("range_world_intensity_low_g_per_kwh", 36, "Range (issue 17): lowest grid factor when no location is given, gCO2e/kWh: 5th percentile of the countries' factors.",
     "co2e data/regions.json (213 countries, OWID/Ember via carbontracker, CC BY 4.0): 5th percentile of intensity_g_per_kwh", 2023, "CC-BY-4.0"),
    ("range_world_intensity_high_g_per_kwh", 784, "Range (issue 17): highest grid factor when no location is given, gCO2e/kWh: 95th percentile of the countries' factors.",
     "co2e data/regions.json (213 countries, OWID/Ember via carbontracker, CC BY 4.0): 95th percentile of intensity_g_per_kwh", 2023, "CC-BY-4.0"),
]


HAND_CONSTANTS = ("embodied_lifetime_years", "embodied_utilisation", "node_overhead_fraction", "storage_ssd_w_per_tb",
                  "storage_hdd_w_per_tb", "network_kwh_per_gb")


def build_constants(ref):
    rv = {}
    for r in read_csv(os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "referenceValues.csv"), skip=1):
        rv[r["variable"].strip()] = (num(r["value"]), r["source"].strip())
    mem, mem_src = rv["memoryPower"]
    cpu_any = [r for r in read_csv(os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "TDP_cpu.csv"), skip=1) if r["model"] == "Any"][0]
    gpu_any = [r for r in read_csv(os.path.join(ref, "green-algorithms", "green-algorithms-tool", "data", "v3.0", "TDP_gpu.csv"), skip=1) if r["model"] == "Any"][0]
    world = [a for a in EMBER_AGGREGATES if a[0] == "WORLD"][0]
    rows = [
        OrderedDict([("id", "memory_power_w_per_gb"), ("value", mem),
                     ("description", "Power drawn per GB of memory allocated (not used), W/GB; disputed (estimates range ~0.08-0.4), settable."),
                     ("source", GA_VIA + "referenceValues.csv memoryPower, " + mem_src), ("year", 2017), ("licence", CC_BY)]),
        OrderedDict([("id", "default_core_power_w"), ("value", num(cpu_any["TDP_per_core"])),
                     ("description", "Power per CPU core when the CPU model is unknown, W (Green Algorithms 'Any' CPU)."),
                     ("source", GA_VIA + "TDP_cpu.csv row 'Any'"), ("year", 2025), ("licence", CC_BY)]),
        OrderedDict([("id", "default_gpu_power_w"), ("value", num(gpu_any["TDP_per_core"])),
                     ("description", "Power per GPU when the GPU model is unknown, W (Green Algorithms 'Any' GPU)."),
                     ("source", GA_VIA + "TDP_gpu.csv row 'Any'"), ("year", 2025), ("licence", CC_BY)]),
        # The same figure as the WORLD row (one fact): used only if a table lacks that row.
        OrderedDict([("id", "world_intensity_g_per_kwh"), ("value", world[3]),
                     ("description", "World average grid emission factor, gCO2e/kWh (lifecycle), used when no location is known."),
                     ("source", EMBER + ", World"), ("year", EMBER_YEAR), ("licence", CC_BY)]),
    ]
    want = {"memory_power_w_per_gb": 0.3725, "default_core_power_w": 12, "default_gpu_power_w": 200, "world_intensity_g_per_kwh": 472.94}
    for r in rows:
        if r["value"] != want[r["id"]]:
            die("constant %s = %s, expected %s" % (r["id"], r["value"], want[r["id"]]))
    # The whole-footprint constants (issue 15) come from papers, not from a snapshot: they are
    # written by hand in data/constants.json and kept as they are.
    with open(os.path.join(DATA, "constants.json"), encoding="utf-8") as f:
        kept = [OrderedDict(r) for r in json.load(f, object_pairs_hook=OrderedDict)["constants"] if r["id"] in HAND_CONSTANTS]
    rows += kept
    for cid, value, description, source, year, licence in RANGE_CONSTANTS:
        rows.append(OrderedDict([("id", cid), ("value", value), ("description", description),
                                 ("source", source), ("year", year), ("licence", licence)]))
    print("constants: %d rows" % len(rows))
    return rows


# ==========================================================================
# Cloud instance types (data/instances.json): vCPUs, memory, GPUs and the chips, from the
# providers' own documentation (facts; no third-party table copied). AWS and Azure state memory
# in GiB, Google Cloud in GB; the figure is kept as stated and used as GB (docs/cli.md).
# ==========================================================================
AWS_SPECS = "Amazon EC2 instance type specifications https://docs.aws.amazon.com/ec2/latest/instancetypes/"
GCP_MACHINES = "Google Cloud machine families https://cloud.google.com/compute/docs/machine-resource"
GCP_GPUS = "Google Cloud GPU machine types https://cloud.google.com/compute/docs/gpus"
AZ_SIZES = "Azure virtual machine sizes https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/overview"

# AWS size ladder: name -> vCPUs.
AWS_SIZE = {"medium": 1, "large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "9xlarge": 36,
            "12xlarge": 48, "16xlarge": 64, "18xlarge": 72, "24xlarge": 96, "32xlarge": 128, "48xlarge": 192}
STD = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"]
GRAV = ["medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]
# (family, year, cpu, GiB per vCPU, sizes, {metal name: vCPUs}, page)
AWS_FAMILIES = [
    ("m5", 2017, "Intel Xeon Platinum 8175M", 4, STD, {"metal": 96}, "m5"),
    ("r5", 2018, "Intel Xeon Platinum 8175M", 8, STD, {"metal": 96}, "r5"),
    ("c5", 2017, "Intel Xeon Platinum 8124M", 2, ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "18xlarge"], {}, "c5"),
    ("c5", 2020, "Intel Xeon Platinum 8275CL", 2, ["12xlarge", "24xlarge"], {"metal": 96}, "c5"),
    ("m6i", 2021, "Intel Xeon Platinum 8375C", 4, STD + ["32xlarge"], {"metal": 128}, "m6i"),
    ("c6i", 2021, "Intel Xeon Platinum 8375C", 2, STD + ["32xlarge"], {"metal": 128}, "c6i"),
    ("r6i", 2021, "Intel Xeon Platinum 8375C", 8, STD + ["32xlarge"], {"metal": 128}, "r6i"),
    ("m6a", 2021, "AMD EPYC 7R13", 4, STD + ["32xlarge", "48xlarge"], {"metal": 192}, "m6a"),
    ("c6a", 2022, "AMD EPYC 7R13", 2, STD + ["32xlarge", "48xlarge"], {"metal": 192}, "c6a"),
    ("r6a", 2022, "AMD EPYC 7R13", 8, STD + ["32xlarge", "48xlarge"], {"metal": 192}, "r6a"),
    ("m7i", 2023, "Intel Xeon Platinum 8488C", 4, STD + ["48xlarge"], {"metal-24xl": 96, "metal-48xl": 192}, "m7i"),
    ("c7i", 2023, "Intel Xeon Platinum 8488C", 2, STD + ["48xlarge"], {"metal-24xl": 96, "metal-48xl": 192}, "c7i"),
    ("r7i", 2023, "Intel Xeon Platinum 8488C", 8, STD + ["48xlarge"], {"metal-24xl": 96, "metal-48xl": 192}, "r7i"),
    ("m7a", 2023, "AMD EPYC 9R14", 4, ["medium"] + STD + ["32xlarge", "48xlarge"], {"metal-48xl": 192}, "m7a"),
    ("c7a", 2023, "AMD EPYC 9R14", 2, ["medium"] + STD + ["32xlarge", "48xlarge"], {"metal-48xl": 192}, "c7a"),
    ("r7a", 2023, "AMD EPYC 9R14", 8, ["medium"] + STD + ["32xlarge", "48xlarge"], {"metal-48xl": 192}, "r7a"),
    ("m6g", 2020, "AWS Graviton2", 4, GRAV, {"metal": 64}, "m6g"),
    ("c6g", 2020, "AWS Graviton2", 2, GRAV, {"metal": 64}, "c6g"),
    ("r6g", 2020, "AWS Graviton2", 8, GRAV, {"metal": 64}, "r6g"),
    ("m7g", 2023, "AWS Graviton3", 4, GRAV, {"metal": 64}, "m7g"),
    ("c7g", 2022, "AWS Graviton3", 2, GRAV, {"metal": 64}, "c7g"),
    ("r7g", 2023, "AWS Graviton3", 8, GRAV, {"metal": 64}, "r7g"),
    ("m8g", 2024, "AWS Graviton4", 4, GRAV + ["24xlarge", "48xlarge"], {}, "m8g"),
    ("c8g", 2024, "AWS Graviton4", 2, GRAV + ["24xlarge", "48xlarge"], {}, "c8g"),
    ("r8g", 2024, "AWS Graviton4", 8, GRAV + ["24xlarge", "48xlarge"], {}, "r8g"),
]
# Burstable t3: (size, vCPUs, GiB).
AWS_T3 = [("nano", 2, 0.5), ("micro", 2, 1), ("small", 2, 2), ("medium", 2, 4), ("large", 2, 8), ("xlarge", 4, 16),
          ("2xlarge", 8, 32)]
# GPU instances: (type, vCPUs, GiB, GPUs, GPU row, CPU row or None, year, page).
AWS_GPU = [
    ("p3.2xlarge", 8, 61, 1, "NVIDIA Tesla V100 SXM2 16GB", "Intel Xeon E5-2686 v4", 2017, "p3"),
    ("p3.8xlarge", 32, 244, 4, "NVIDIA Tesla V100 SXM2 16GB", "Intel Xeon E5-2686 v4", 2017, "p3"),
    ("p3.16xlarge", 64, 488, 8, "NVIDIA Tesla V100 SXM2 16GB", "Intel Xeon E5-2686 v4", 2017, "p3"),
    ("p3dn.24xlarge", 96, 768, 8, "NVIDIA Tesla V100 SXM2 32GB", "Intel Xeon Platinum 8175M", 2018, "p3"),
    ("p4d.24xlarge", 96, 1152, 8, "NVIDIA A100 SXM4 40GB", "Intel Xeon Platinum 8275CL", 2020, "p4"),
    ("p4de.24xlarge", 96, 1152, 8, "NVIDIA A100 SXM4 80GB", "Intel Xeon Platinum 8275CL", 2022, "p4"),
    ("p5.48xlarge", 192, 2048, 8, "NVIDIA H100 SXM5 80GB", "AMD EPYC 7R13", 2023, "p5"),
    ("p5e.48xlarge", 192, 2048, 8, "NVIDIA H200 SXM 141GB", "AMD EPYC 7R13", 2024, "p5"),
    ("p5en.48xlarge", 192, 2048, 8, "NVIDIA H200 SXM 141GB", "Intel Xeon Platinum 8488C", 2024, "p5"),
    ("p6-b200.48xlarge", 192, 2048, 8, "NVIDIA B200", None, 2025, "p6"),
]
for _size, _vcpu, _gib, _gpus in [("xlarge", 4, 16, 1), ("2xlarge", 8, 32, 1), ("4xlarge", 16, 64, 1),
                                  ("8xlarge", 32, 128, 1), ("16xlarge", 64, 256, 1), ("12xlarge", 48, 192, 4),
                                  ("metal", 96, 384, 8)]:
    AWS_GPU.append(("g4dn." + _size, _vcpu, _gib, _gpus, "NVIDIA T4", "Intel Xeon Platinum 8259CL", 2019, "g4"))
for _fam, _gpu, _cpu, _year, _per in [("g5", "NVIDIA A10G", "AMD EPYC 7R32", 2021, 4),
                                      ("g6", "NVIDIA L4", "AMD EPYC 7R13", 2024, 4),
                                      ("g6e", "NVIDIA L40S", "AMD EPYC 7R13", 2024, 8)]:
    for _size, _vcpu, _gpus in [("xlarge", 4, 1), ("2xlarge", 8, 1), ("4xlarge", 16, 1), ("8xlarge", 32, 1),
                                ("16xlarge", 64, 1), ("12xlarge", 48, 4), ("24xlarge", 96, 4), ("48xlarge", 192, 8)]:
        AWS_GPU.append((_fam + "." + _size, _vcpu, _vcpu * _per, _gpus, _gpu, _cpu, _year, _fam))

# Google Cloud: (series, year, cpu or None when the platform varies or is not named, GB per vCPU, vCPU counts).
GCP_FAMILIES = [
    ("n1-standard", 2014, None, 3.75, [1, 2, 4, 8, 16, 32, 64, 96]),
    ("n1-highmem", 2014, None, 6.5, [2, 4, 8, 16, 32, 64, 96]),
    ("n1-highcpu", 2014, None, 0.9, [2, 4, 8, 16, 32, 64, 96]),
    ("n2-standard", 2019, None, 4, [2, 4, 8, 16, 32, 48, 64, 80, 96, 128]),
    ("n2-highmem", 2019, None, 8, [2, 4, 8, 16, 32, 48, 64, 80, 96]),
    ("n2-highcpu", 2019, None, 1, [2, 4, 8, 16, 32, 48, 64, 80, 96]),
    ("n2d-standard", 2020, None, 4, [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224]),
    ("n2d-highmem", 2020, None, 8, [2, 4, 8, 16, 32, 48, 64, 80, 96]),
    ("n2d-highcpu", 2020, None, 1, [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224]),
    ("c2-standard", 2020, None, 4, [4, 8, 16, 30, 60]),
    ("c2d-standard", 2021, "AMD EPYC 7B13", 4, [2, 4, 8, 16, 32, 56, 112]),
    ("c2d-highcpu", 2021, "AMD EPYC 7B13", 2, [2, 4, 8, 16, 32, 56, 112]),
    ("c2d-highmem", 2021, "AMD EPYC 7B13", 8, [2, 4, 8, 16, 32, 56, 112]),
    ("e2-standard", 2019, None, 4, [2, 4, 8, 16, 32]),
    ("e2-highmem", 2019, None, 8, [2, 4, 8, 16]),
    ("e2-highcpu", 2019, None, 1, [2, 4, 8, 16, 32]),
    ("c3-standard", 2023, "Intel Xeon Platinum 8481C", 4, [4, 8, 22, 44, 88, 176]),
    ("c3-highcpu", 2023, "Intel Xeon Platinum 8481C", 2, [4, 8, 22, 44, 88, 176]),
    ("c3-highmem", 2023, "Intel Xeon Platinum 8481C", 8, [4, 8, 22, 44, 88, 176]),
]
# (type, vCPUs, GB, GPUs, GPU row, CPU row or None, year)
GCP_GPU = [
    ("a2-highgpu-1g", 12, 85, 1, "NVIDIA A100 SXM4 40GB", None, 2021),
    ("a2-highgpu-2g", 24, 170, 2, "NVIDIA A100 SXM4 40GB", None, 2021),
    ("a2-highgpu-4g", 48, 340, 4, "NVIDIA A100 SXM4 40GB", None, 2021),
    ("a2-highgpu-8g", 96, 680, 8, "NVIDIA A100 SXM4 40GB", None, 2021),
    ("a2-megagpu-16g", 96, 1360, 16, "NVIDIA A100 SXM4 40GB", None, 2021),
    ("a2-ultragpu-1g", 12, 170, 1, "NVIDIA A100 SXM4 80GB", None, 2022),
    ("a2-ultragpu-2g", 24, 340, 2, "NVIDIA A100 SXM4 80GB", None, 2022),
    ("a2-ultragpu-4g", 48, 680, 4, "NVIDIA A100 SXM4 80GB", None, 2022),
    ("a2-ultragpu-8g", 96, 1360, 8, "NVIDIA A100 SXM4 80GB", None, 2022),
    ("a3-highgpu-1g", 26, 234, 1, "NVIDIA H100 SXM5 80GB", "Intel Xeon Platinum 8481C", 2023),
    ("a3-highgpu-2g", 52, 468, 2, "NVIDIA H100 SXM5 80GB", "Intel Xeon Platinum 8481C", 2023),
    ("a3-highgpu-4g", 104, 936, 4, "NVIDIA H100 SXM5 80GB", "Intel Xeon Platinum 8481C", 2023),
    ("a3-highgpu-8g", 208, 1872, 8, "NVIDIA H100 SXM5 80GB", "Intel Xeon Platinum 8481C", 2023),
    ("a3-megagpu-8g", 208, 1872, 8, "NVIDIA H100 SXM5 80GB", "Intel Xeon Platinum 8481C", 2024),
]
for _vcpu, _gb, _gpus in [(4, 16, 1), (8, 32, 1), (12, 48, 1), (16, 64, 1), (24, 96, 2), (32, 128, 1), (48, 192, 4),
                          (96, 384, 8)]:
    GCP_GPU.append(("g2-standard-%d" % _vcpu, _vcpu, _gb, _gpus, "NVIDIA L4", None, 2023))

# Azure: (size template with {n}, year, cpu, GiB per vCPU, vCPU counts, {vCPUs: GiB exceptions}, page)
AZ_FAMILIES = [
    ("Standard_D{n}s_v5", 2021, "Intel Xeon Platinum 8370C", 4, [2, 4, 8, 16, 32, 48, 64, 96], {}, "general-purpose/dsv5-series"),
    ("Standard_D{n}_v5", 2021, "Intel Xeon Platinum 8370C", 4, [2, 4, 8, 16, 32, 48, 64, 96], {}, "general-purpose/dv5-series"),
    ("Standard_D{n}as_v5", 2021, "AMD EPYC 7763", 4, [2, 4, 8, 16, 32, 48, 64, 96], {}, "general-purpose/dasv5-series"),
    ("Standard_E{n}s_v5", 2021, "Intel Xeon Platinum 8370C", 8, [2, 4, 8, 16, 20, 32, 48, 64, 96], {96: 672},
     "memory-optimized/esv5-series"),
    ("Standard_E{n}as_v5", 2021, "AMD EPYC 7763", 8, [2, 4, 8, 16, 20, 32, 48, 64, 96], {96: 672},
     "memory-optimized/easv5-series"),
    ("Standard_F{n}s_v2", 2018, "Intel Xeon Platinum 8272CL", 2, [2, 4, 8, 16, 32, 48, 64, 72], {},
     "compute-optimized/fsv2-series"),
    ("Standard_D{n}s_v3", 2017, "Intel Xeon Platinum 8272CL", 4, [2, 4, 8, 16, 32, 48, 64], {}, "general-purpose/dsv3-series"),
]
# (size, vCPUs, GiB, GPUs, GPU row, CPU row, year, page)
AZ_GPU = [
    ("Standard_NC6s_v3", 6, 112, 1, "NVIDIA Tesla V100 PCIe 16GB", "Intel Xeon E5-2690 v4", 2018, "gpu-accelerated/ncv3-series"),
    ("Standard_NC12s_v3", 12, 224, 2, "NVIDIA Tesla V100 PCIe 16GB", "Intel Xeon E5-2690 v4", 2018, "gpu-accelerated/ncv3-series"),
    ("Standard_NC24s_v3", 24, 448, 4, "NVIDIA Tesla V100 PCIe 16GB", "Intel Xeon E5-2690 v4", 2018, "gpu-accelerated/ncv3-series"),
    ("Standard_NC24rs_v3", 24, 448, 4, "NVIDIA Tesla V100 PCIe 16GB", "Intel Xeon E5-2690 v4", 2018, "gpu-accelerated/ncv3-series"),
    ("Standard_ND40rs_v2", 40, 672, 8, "NVIDIA Tesla V100 SXM2 32GB", "Intel Xeon Platinum 8168", 2019, "gpu-accelerated/ndv2-series"),
    ("Standard_ND96asr_v4", 96, 900, 8, "NVIDIA A100 SXM4 40GB", "AMD EPYC 7V12", 2021, "gpu-accelerated/ndasra100v4-series"),
    ("Standard_ND96amsr_A100_v4", 96, 1900, 8, "NVIDIA A100 SXM4 80GB", "AMD EPYC 7V12", 2021, "gpu-accelerated/ndma100v4-series"),
    ("Standard_NC24ads_A100_v4", 24, 220, 1, "NVIDIA A100 PCIe 80GB", "AMD EPYC 7V13", 2022, "gpu-accelerated/nca100v4-series"),
    ("Standard_NC48ads_A100_v4", 48, 440, 2, "NVIDIA A100 PCIe 80GB", "AMD EPYC 7V13", 2022, "gpu-accelerated/nca100v4-series"),
    ("Standard_NC96ads_A100_v4", 96, 880, 4, "NVIDIA A100 PCIe 80GB", "AMD EPYC 7V13", 2022, "gpu-accelerated/nca100v4-series"),
    ("Standard_NC4as_T4_v3", 4, 28, 1, "NVIDIA T4", "AMD EPYC 7V12", 2020, "gpu-accelerated/ncast4v3-series"),
    ("Standard_NC8as_T4_v3", 8, 56, 1, "NVIDIA T4", "AMD EPYC 7V12", 2020, "gpu-accelerated/ncast4v3-series"),
    ("Standard_NC16as_T4_v3", 16, 110, 1, "NVIDIA T4", "AMD EPYC 7V12", 2020, "gpu-accelerated/ncast4v3-series"),
    ("Standard_NC64as_T4_v3", 64, 440, 4, "NVIDIA T4", "AMD EPYC 7V12", 2020, "gpu-accelerated/ncast4v3-series"),
    ("Standard_ND96isr_H100_v5", 96, 1900, 8, "NVIDIA H100 SXM5 80GB", "Intel Xeon Platinum 8480C", 2023,
     "gpu-accelerated/ndh100v5-series"),
    ("Standard_ND96isr_H200_v5", 96, 1850, 8, "NVIDIA H200 SXM 141GB", "Intel Xeon Platinum 8480C", 2024,
     "gpu-accelerated/nd-h200-v5-series"),
    ("Standard_ND96isr_MI300X_v5", 96, 1850, 8, "AMD Instinct MI300X", "Intel Xeon Platinum 8480C", 2024,
     "gpu-accelerated/ndmi300xv5-series"),
    ("Standard_NC40ads_H100_v5", 40, 320, 1, "NVIDIA H100 NVL", "AMD EPYC 9V84", 2023, "gpu-accelerated/ncadsh100v5-series"),
    ("Standard_NC80adis_H100_v5", 80, 640, 2, "NVIDIA H100 NVL", "AMD EPYC 9V84", 2023, "gpu-accelerated/ncadsh100v5-series"),
    ("Standard_NV36ads_A10_v5", 36, 440, 1, "NVIDIA A10", "AMD EPYC 7V12", 2022, "gpu-accelerated/nvadsa10v5-series"),
    ("Standard_NV72ads_A10_v5", 72, 880, 2, "NVIDIA A10", "AMD EPYC 7V12", 2022, "gpu-accelerated/nvadsa10v5-series"),
]


def build_instances(cpu_names, gpu_names):
    rows = []

    def add(code, provider, vcpus, cpu, mem, gpus, gpu, source, year):
        if cpu is not None and key_of(cpu) not in cpu_names:
            die("instance %s: cpu %s not in cpus" % (code, cpu))
        if gpu is not None and key_of(gpu) not in gpu_names:
            die("instance %s: gpu %s not in gpus" % (code, gpu))
        row = OrderedDict([("code", code), ("provider", provider), ("vcpus", vcpus)])
        if cpu:
            row["cpu"] = cpu
        row["memory_gb"] = int(mem) if float(mem).is_integer() else mem
        if gpus:
            row["gpus"] = gpus
            row["gpu"] = gpu
        row["source"] = source
        row["year"] = year
        row["licence"] = "fact"
        rows.append(row)

    aws_page = "https://aws.amazon.com/ec2/instance-types/%s/"
    for fam, year, cpu, per, sizes, metal, page in AWS_FAMILIES:
        for size in sizes:
            v = AWS_SIZE[size]
            add("aws:%s.%s" % (fam, size), "aws", v, cpu, v * per, 0, None, AWS_SPECS + "; " + aws_page % page, year)
        for size, v in metal.items():
            add("aws:%s.%s" % (fam, size), "aws", v, cpu, v * per, 0, None, AWS_SPECS + "; " + aws_page % page, year)
    for size, v, gib in AWS_T3:
        add("aws:t3." + size, "aws", v, "Intel Xeon Platinum 8175M", gib, 0, None, AWS_SPECS + "; " + aws_page % "t3", 2018)
    for t, v, gib, gpus, gpu, cpu, year, page in AWS_GPU:
        add("aws:" + t, "aws", v, cpu, gib, gpus, gpu, AWS_SPECS + "; " + aws_page % page, year)
    for series, year, cpu, per, counts in GCP_FAMILIES:
        for n in counts:
            add("gcp:%s-%d" % (series, n), "gcp", n, cpu, round(n * per, 2), 0, None, GCP_MACHINES, year)
    for t, v, gb, gpus, gpu, cpu, year in GCP_GPU:
        add("gcp:" + t, "gcp", v, cpu, gb, gpus, gpu, GCP_GPUS, year)
    az_page = "https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/%s"
    for tmpl, year, cpu, per, counts, exceptions, page in AZ_FAMILIES:
        for n in counts:
            add("azure:" + tmpl.format(n=n), "azure", n, cpu, exceptions.get(n, n * per), 0, None,
                AZ_SIZES + "; " + az_page % page, year)
    for t, v, gib, gpus, gpu, cpu, year, page in AZ_GPU:
        add("azure:" + t, "azure", v, cpu, gib, gpus, gpu, AZ_SIZES + "; " + az_page % page, year)
    codes = [r["code"].lower() for r in rows]
    if len(codes) != len(set(codes)):
        die("instances: duplicate codes")
    print("instances: %d rows (aws %d, gcp %d, azure %d)" % (
        len(rows), sum(r["provider"] == "aws" for r in rows), sum(r["provider"] == "gcp" for r in rows),
        sum(r["provider"] == "azure" for r in rows)))
    return rows


# ==========================================================================
# Validation and output
# ==========================================================================
SCHEMA = {
    # table: (key field, {field: (type, required)})
    "cpus": ("name", {"name": (str, True), "tdp_w": ("pos", True), "cores": ("posint", True), "vendor": (str, True), "aliases": (list, False)}),
    "gpus": ("name", {"name": (str, True), "tdp_w": ("pos", True), "kind": (str, True), "vendor": (str, True),
                      "memory_gb": ("pos", False), "aliases": (list, False)}),
    "regions": ("code", {"code": (str, True), "name": (str, True), "kind": (str, True), "iso3": (str, False),
                         "country": (str, False), "intensity_g_per_kwh": ("nonneg", True), "basis": ("basis", True),
                         "lifecycle_g_per_kwh": ("nonneg", False), "direct_g_per_kwh": ("nonneg", False),
                         "release": (str, True), "url": (str, True), "retrieved": ("date", True)}),
    "cloud_regions": ("code", {"code": (str, True), "provider": (str, True), "name": (str, True), "location": (str, True),
                               "intensity_g_per_kwh": ("nonneg", False), "intensity_basis": ("basis", False),
                               "intensity_source": (str, False), "intensity_year": ("year", False),
                               "intensity_licence": (str, False), "intensity_release": (str, False),
                               "intensity_url": (str, False), "intensity_retrieved": ("date", False),
                               "location_note": (str, False), "pue": ("pue", False)}),
    "providers": ("id", {"id": (str, True), "name": (str, True), "kind": (str, True), "pue": ("pue", True), "aliases": (list, False)}),
    "equivalences": ("id", {"id": (str, True), "name": (str, True), "g_per_unit": ("pos", True)}),
    "constants": ("id", {"id": (str, True), "value": ("num", True), "description": (str, True)}),
    "instances": ("code", {"code": (str, True), "provider": (str, True), "vcpus": ("posint", True), "cpu": (str, False),
                           "memory_gb": ("pos", True), "gpus": ("posint", False), "gpu": (str, False)}),
}
PROV = {"source": (str, True), "year": ("year", True), "licence": (str, True), "note": (str, False)}


def check_type(t, v):
    isnum = isinstance(v, (int, float)) and not isinstance(v, bool)
    if t is str:
        return isinstance(v, str) and v.strip() != ""
    if t is list:
        return isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v)
    if t == "num":
        return isnum
    if t == "pos":
        return isnum and v > 0
    if t == "nonneg":
        return isnum and v >= 0
    if t == "posint":
        return isinstance(v, int) and not isinstance(v, bool) and v > 0
    if t == "pue":
        return isnum and v >= 1
    if t == "basis":
        return v in ("lifecycle", "direct")
    if t == "date":
        return isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None
    if t == "year":
        return isinstance(v, int) and not isinstance(v, bool) and 1990 <= v <= 2030
    return False


def validate(table, rows):
    keyf, fields = SCHEMA[table]
    allf = dict(fields, **PROV)
    errs = []
    seen = {}
    for i, r in enumerate(rows):
        for f in r:
            if f not in allf:
                errs.append("%s[%d]: unknown field %r" % (table, i, f))
        for f, (t, req) in allf.items():
            if f not in r:
                if req:
                    errs.append("%s[%d] %r: missing %s" % (table, i, r.get(keyf), f))
            elif not check_type(t, r[f]):
                errs.append("%s[%d] %r: bad %s = %r" % (table, i, r.get(keyf), f, r[f]))
        names = [r.get(keyf, "")] + list(r.get("aliases", []))
        for n in names:
            k = key_of(n) if table in ("cpus", "gpus") else n.lower()
            if k in seen and seen[k] is not r:
                errs.append("%s: %r (row %r) clashes with row %r" % (table, n, r.get(keyf), seen[k].get(keyf)))
            seen[k] = r
    if table == "regions":
        for r in rows:
            kind = r.get("kind")
            if kind not in ("world", "aggregate", "country", "subdivision"):
                errs.append("regions %s: bad kind %r" % (r["code"], kind))
            if kind == "country" and (not re.fullmatch(r"[A-Z]{2}", r["code"]) or not re.fullmatch(r"[A-Z]{3}", r.get("iso3", ""))):
                errs.append("regions %s: country needs alpha-2 code and iso3" % r["code"])
            if kind == "subdivision" and (not r.get("country") or not r["code"].startswith(r["country"] + "-")):
                errs.append("regions %s: subdivision needs country prefix" % r["code"])
            if kind != "country" and "iso3" in r:
                errs.append("regions %s: iso3 only for countries" % r["code"])
            if kind != "subdivision" and "country" in r:
                errs.append("regions %s: country only for subdivisions" % r["code"])
    if table == "gpus":
        for r in rows:
            if r["kind"] not in ("gpu", "tpu", "accelerator"):
                errs.append("gpus %s: bad kind" % r["name"])
    if table == "providers":
        for r in rows:
            if r["kind"] not in ("cloud", "platform", "datacentre"):
                errs.append("providers %s: bad kind" % r["id"])
    if table == "cloud_regions":
        for r in rows:
            if not r["code"].startswith(r["provider"] + ":"):
                errs.append("cloud_regions %s: code must start with provider" % r["code"])
    return errs


# The release of the data tables, shown by `co2e --version` and in reports: year-month of the
# snapshot they were built from. Bump it whenever the tables are regenerated.
DATA_RELEASE = "2026-11"


def write_table(fname, table, rows):
    lines = ['{"schema_version": 1,']
    if table == "constants":  # the release is stated once, in constants.json (docs/data-schema.md)
        lines.append(' "data_release": "%s",' % DATA_RELEASE)
    lines.append(' "%s": [' % table)
    for i, r in enumerate(rows):
        lines.append("  " + json.dumps(r, ensure_ascii=False) + ("," if i + 1 < len(rows) else ""))
    lines.append(" ]}")
    text = "\n".join(lines) + "\n"
    json.loads(text)    # sanity: valid JSON
    with open(os.path.join(DATA, fname), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "reference")
    ref = os.path.abspath(ref)
    if not os.path.isdir(ref):
        die("reference directory not found: " + ref)
    os.makedirs(DATA, exist_ok=True)
    prime_series_years(ref)

    tables = OrderedDict()
    tables["cpus"] = build_cpus(ref)
    tables["gpus"] = build_gpus(ref)
    tables["regions"] = build_regions(ref)
    tables["cloud_regions"] = build_cloud_regions(ref, {r["code"] for r in tables["regions"]})
    tables["providers"] = build_providers(ref)
    tables["equivalences"] = build_equivalences(ref)
    tables["constants"] = build_constants(ref)
    tables["instances"] = build_instances({key_of(r["name"]) for r in tables["cpus"]},
                                          {key_of(r["name"]) for r in tables["gpus"]})

    errs = []
    for t, rows in tables.items():
        errs += validate(t, rows)
    # cross-table checks
    prov_ids = {p["id"] for p in tables["providers"]}
    for r in tables["cloud_regions"]:
        if r["provider"] not in prov_ids:
            errs.append("cloud_regions %s: unknown provider" % r["code"])
    minimum = {"cpus": 1500, "gpus": 60, "cloud_regions": 100, "instances": 300}
    for t, n in minimum.items():
        if len(tables[t]) < n:
            errs.append("%s: only %d rows (want >= %d)" % (t, len(tables[t]), n))
    if sum(1 for r in tables["regions"] if r["kind"] == "country") < 200:
        errs.append("regions: fewer than 200 countries")
    must_cpu = ["Intel Xeon Gold 6248", "Intel Xeon Platinum 8380", "Intel Xeon Platinum 8480+", "Intel Xeon E5-2680 v4",
                "AMD EPYC 7763", "AMD EPYC 7742", "AMD EPYC 9654", "AMD Ryzen 9 7950X", "Intel Core i7-1360P",
                "Ampere Altra Q80-30", "Ampere Altra Max M128-30", "AWS Graviton3", "NVIDIA Grace CPU Superchip", "Apple M2 Max"]
    cpu_keys = {key_of(r["name"]) for r in tables["cpus"]}
    for n in must_cpu:
        if key_of(n) not in cpu_keys:
            errs.append("cpus: required model missing: " + n)
    need_sub = ["US-" + s for s in "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()]
    need_sub += ["CA-" + s for s in "AB BC MB NB NL NS NT NU ON PE QC SK YT".split()]
    need_sub += ["AU-" + s for s in "NSW VIC QLD SA WA TAS NT ACT".split()]
    codes = {r["code"] for r in tables["regions"]}
    for c in need_sub:
        if c not in codes:
            errs.append("regions: required subdivision missing: " + c)
    if errs:
        for e in errs:
            print("  " + e, file=sys.stderr)
        die("%d validation error(s); nothing written" % len(errs))

    files = {"cpus": "cpus.json", "gpus": "gpus.json", "regions": "regions.json", "cloud_regions": "cloud_regions.json",
             "providers": "providers.json", "equivalences": "equivalences.json", "constants": "constants.json",
             "instances": "instances.json"}
    for t, rows in tables.items():
        write_table(files[t], t, rows)
    print("\nwritten to %s:" % os.path.relpath(DATA))
    for t, rows in tables.items():
        lic = Counter(r["licence"] for r in rows)
        print("  %-20s %5d rows   licences: %s" % (files[t], len(rows), ", ".join("%s %d" % kv for kv in lic.most_common())))


if __name__ == "__main__":
    main()
