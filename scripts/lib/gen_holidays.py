"""Writes shared/data/holidays.tsv: the public holidays curfew knows.

Generated from the Python `holidays` package (https://github.com/vacanza/holidays),
a maintained source with lunar-calendar and substitute days, so that no date
is typed by hand (SPEC §6 item 6). Run through `scripts/gen-holidays`, which
installs the pinned version into .venv/ first; the file's first lines record
the version and the command.

One line a holiday: country, date, English name, Korean name (empty where the
package has no Korean names for that country; replies then use the English).
Countries whose days off differ by region (US states, DE Länder, ...) are
read at national level: the days every office of the country has off; GB
as England ([`SUBDIVISION`]).
"""

from __future__ import annotations

import argparse
import sys

import holidays

COUNTRIES = ["KR", "JP", "US", "GB", "DE", "FR", "CA", "AU", "SG", "IN"]
FIRST_YEAR, LAST_YEAR = 2020, 2035


# Where a country's days off differ by region and one region is what most
# of its offices keep, that region: Easter Monday and the summer bank
# holiday are England's (and Wales's), not Scotland's.
SUBDIVISION = {"GB": "ENG"}


def names(country: str, language: str | None) -> dict:
    calendar = holidays.country_holidays(
        country,
        subdiv=SUBDIVISION.get(country),
        years=range(FIRST_YEAR, LAST_YEAR + 1),
        language=language,
    )
    return dict(calendar.items())


def english(country: str) -> str | None:
    supported = holidays.country_holidays(country).supported_languages
    for language in ("en_US", "en_GB", "en_AU", "en_CA", "en_IN", "en_SG"):
        if language in supported:
            return language
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the file to write (shared/data/holidays.tsv)")
    out = parser.parse_args().out
    lines = [
        f"# curfew public holidays: Python holidays {holidays.__version__}, "
        f"{FIRST_YEAR}-{LAST_YEAR}, national level (GB: England)",
        "# regenerate: scripts/gen-holidays (do not edit by hand)",
        "# country\tdate\tname (en)\tname (ko)",
    ]
    for country in COUNTRIES:
        supported = holidays.country_holidays(country).supported_languages
        en = names(country, english(country))
        ko = names(country, "ko") if "ko" in supported else {}
        for day in sorted(en):
            name_en = en[day].replace("\t", " ")
            name_ko = ko.get(day, "").replace("\t", " ")
            lines.append(f"{country}\t{day.isoformat()}\t{name_en}\t{name_ko}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{out}: {len(lines) - 3} holidays, holidays {holidays.__version__}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
